/** What each converter reports about a model it wrote, for MODELS.md. */
export interface ModelRecord {
  /** File name inside resources/models. */
  file: string
  sourcePackage: string
  sourceVersion: string
  /** Path of the weights inside the source package. */
  sourceFile: string
  license: string
  /** One line: what the model does, its input and outputs. */
  description: string
}

export interface Converter {
  name: string
  /** Writes its .onnx files into outDir and describes them. */
  convert(outDir: string): Promise<ModelRecord[]>
}
