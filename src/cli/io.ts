/** What a CLI command may touch, passed in so commands are testable. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
  /** Default model folder (resources/models of this installation). */
  modelDir: string
  cwd: string
  /** Where progress bars go (stderr); `tty` false means plain lines through `err` instead. */
  progress?: { tty: boolean; write(text: string): void }
}
