/** The part of @actions/core that main and post use; injected so each scenario is a small test. */
export interface ActionsCore {
  getInput(name: string): string
  getState(name: string): string
  setSecret(value: string): void
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  exportVariable(name: string, value: string): void
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  setFailed(message: string): void
  /** Appends markdown to the job summary. */
  appendSummary(markdown: string): Promise<void>
}
