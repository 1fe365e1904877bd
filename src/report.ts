/**
 * How a step reports: the job summary (a report, never the job's result), and errors — only those
 * written for the log are printed; anything unexpected shows its name, and its stack under step debug.
 */
import type { ActionsCore } from './core.js'

/** Main's refusals of a token it was granted (a guard: nothing is asked of the server). */
export class LeaseRefused extends Error {
  override name = 'LeaseRefused'
}

/** The summary is a report, not the job's result: failing to write it is a warning. */
export async function writeSummary(core: ActionsCore, markdown: string): Promise<void> {
  try {
    await core.appendSummary(markdown)
  } catch (err) {
    core.warning(`Could not write the job summary (${err instanceof Error ? err.name : 'error'}).`)
  }
}

/** Errors whose message is written for the log (no secret in it); any other is not printed. */
const KNOWN_ERRORS = ['InputError', 'RequestError', 'LeaseRefused']

/** For a bug report: where an unexpected error came from — the stack frames, never its message. */
export function debugStack(core: ActionsCore, err: unknown): void {
  if (!(err instanceof Error) || KNOWN_ERRORS.includes(err.name)) return
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  core.debug(`${err.name} at:\n${frames.join('\n')}`)
}

/** An error's message is built without secrets; anything unexpected is not printed whole. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && KNOWN_ERRORS.includes(err.name)) return err.message
  const name = err instanceof Error ? err.name : typeof err
  return `Unexpected ${name}. Please report it; re-run with step debug logging for details.`
}
