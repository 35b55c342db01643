/** What a CLI command may touch, passed in so commands are testable. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
  /** Default model folder (resources/models of this installation). */
  modelDir: string
  cwd: string
}
