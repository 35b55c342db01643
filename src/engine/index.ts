/**
 * Public entry of src/engine: everything outside it (CLI, server, Electron main, bench, tools) imports from here.
 */
export { modelFolderFingerprint, VisionEngine } from './engine'
export type { VideoSession, VisionEngineConfig } from './engine'
export { imagePointToCrop } from './ops/image'
export type { Roi } from './ops/image'
export { MESH_TO_IBUG68, meshToIbug68 } from './ops/mesh-to-ibug68'
export type { MeshToIbugTable } from './ops/mesh-to-ibug68'
export { FacePipeline } from './pipeline'
export { ATTACH_PORT_MESSAGE, describeExit, MAX_PORT_FRAME_PIXELS, parseFramePortMessage } from './protocol'
export type { FramePortMessage, HostExit, HostProcess, HostRequest, HostResponse, HostSpawner } from './protocol'
export { ExpressionClassifier, expressionRoiFromLandmarks } from './tasks/expression'
export type { ExpressionModelChoice } from './tasks/expression'
export { FaceDetector } from './tasks/face-detector'
export type { FaceDetection } from './tasks/face-detector'
export { DETECTION_ROI_SCALE, DETECTION_ROI_SHIFT, FaceLandmarks68, LANDMARK_ROI_SCALE, LANDMARK_ROI_SHIFT, landmarkRoiFromDetection, landmarkRoiFromPoints, LANDMARKS68_MODEL } from './tasks/face-landmarks68'
