/**
 * Test helpers around the runner emulation in scripts/lib (shared with the demo and the benchmark).
 * Portable: CI runs the contract tests on Linux, Windows and macOS (ci.yml, job `contract`); line
 * ends, the child's environment and temporary files are handled in scripts/lib/runner.mjs.
 */
import { join } from 'node:path'
// @ts-expect-error: plain ESM helper without type declarations
import * as runner from '../../scripts/lib/runner.mjs'

export interface StepResult {
  code: number
  durationMs: number
  stdout: string
  stderr: string
  log: string
  masks: string[]
  outputs: Record<string, string>
  state: Record<string, string>
  env: Record<string, string>
  summary: string
}

export interface StepOptions {
  inputs?: Record<string, string>
  state?: Record<string, string>
  env?: Record<string, string>
  debug?: boolean
  timeoutMs?: number
}

/** The node the steps run on: Node 24 in CI's second pass (STEP_NODE), else the one at hand. */
const node = process.env.STEP_NODE || process.execPath

const MAIN = join('dist', 'main', 'index.js')
const POST = join('dist', 'post', 'index.js')

export const runMain = (o: StepOptions = {}): Promise<StepResult> => runner.runStep(MAIN, { node, ...o })
export const runPost = (o: StepOptions = {}): Promise<StepResult> => runner.runStep(POST, { node, ...o })

/** Secrets from `secrets` that a reader of the log, stderr or summary could see. */
export const leaks = (result: StepResult, secrets: string[]): string[] => runner.leaks(result, secrets)

export const renderLog = (stdout: string, options?: { debug?: boolean }): { log: string; masks: string[] } =>
  runner.renderLog(stdout, options)
export const parseFileCommands = (text: string): Record<string, string> => runner.parseFileCommands(text)

/** What the step printed itself, without the mask registrations: the runner's masking not counted. */
export const printed = (step: StepResult): string =>
  step.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')

/** No secret reaches the rendered log, stderr or summary, nor the raw stdout outside its own mask registration. */
export function expectNoLeak(step: StepResult, secrets: string[]) {
  expect(leaks(step, secrets)).toEqual([])
  for (const s of secrets) expect(printed(step)).not.toContain(s)
}
