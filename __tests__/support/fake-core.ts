/**
 * A recording stand-in for the `ActionsCore` of src/core.ts, shared by the in-process tests of
 * main() and post(): every call is kept in order in `calls` (a test may push its own entries into
 * the same list, such as the requests a nock answer or an emulator saw), and the views the tests
 * read — outputs, saved state, masks, the rendered log, failures, the summary — are kept live.
 */
import type { ActionsCore } from '../../src/core.js'
import type { Runtime } from '../../src/main.js'

/** One call in order: its kind (the core method, or a test's own kind such as 'request') and its arguments. */
export type Call = [kind: string, ...args: unknown[]]

export interface FakeCoreOptions {
  /** What getState answers: the state main saved, for post. */
  state?: Record<string, string>
  /** Trim inputs as @actions/core's getInput does by default; off, a test sees the input exactly as given. */
  trimInputs?: boolean
  /** The list to record into, when a test shares one list with its server stand-ins. */
  calls?: Call[]
  /** Runs on each saveState, before it is recorded (to make saving fail). */
  onSaveState?: () => void
  /** appendSummary records the call, then throws this (a summary file that cannot be written). */
  summaryFails?: Error
}

/** The calls a reader of the log, the failure message or the summary sees. */
const VISIBLE = ['info', 'warning', 'debug', 'setFailed', 'appendSummary']

export function fakeCore(inputs: Record<string, string>, options: FakeCoreOptions = {}) {
  const { state = {}, trimInputs = false, calls = [] } = options
  const outputs: Record<string, string> = {}
  const saved: Record<string, string> = {}
  const masks: string[] = []
  /** The log as a reader sees it: info as it is, the other kinds prefixed. */
  const log: string[] = []
  const warnings: string[] = []
  const failed: string[] = []
  const summaries: string[] = []
  const core: ActionsCore = {
    getInput: (name) => (trimInputs ? (inputs[name] ?? '').trim() : (inputs[name] ?? '')),
    getState: (name) => state[name] ?? '',
    setSecret: (v) => void (masks.push(v), calls.push(['setSecret', v])),
    setOutput: (n, v) => void ((outputs[n] = v), calls.push(['setOutput', n, v])),
    saveState: (n, v) => {
      options.onSaveState?.()
      saved[n] = v
      calls.push(['saveState', n, v])
    },
    exportVariable: (n, v) => void calls.push(['exportVariable', n, v]),
    info: (m) => void (log.push(m), calls.push(['info', m])),
    warning: (m) => void (log.push(`warning: ${m}`), warnings.push(m), calls.push(['warning', m])),
    debug: (m) => void (log.push(`debug: ${m}`), calls.push(['debug', m])),
    setFailed: (m) => void (log.push(`failed: ${m}`), failed.push(m), calls.push(['setFailed', m])),
    appendSummary: async (md) => {
      summaries.push(md)
      calls.push(['appendSummary', md])
      if (options.summaryFails) throw options.summaryFails
    },
  }
  const of = (kind: string) => calls.filter((c) => c[0] === kind)
  const visible = () => calls.filter((c) => VISIBLE.includes(c[0])).map((c) => String(c[1]))
  return {
    core,
    calls,
    outputs,
    /** What saveState stored, by name. */
    saved,
    masks,
    log,
    warnings,
    failed,
    /** The job summary as appended so far. */
    get summary() {
      return summaries.join('')
    },
    /** The calls of one kind, whole. */
    of,
    /** The first argument of each call of one kind (the message, the masked value, the output name). */
    args: (kind: string) => of(kind).map((c) => c[1] as string),
    /** Position of the first call of `kind` (whose first argument is `arg`, when given); -1 if none. */
    first: (kind: string, arg?: unknown) => calls.findIndex((c) => c[0] === kind && (arg === undefined || c[1] === arg)),
    /** Everything a reader of the log, the failure message or the summary sees, a call a line. */
    visible,
    /** The secrets a reader of the log, the failure message or the summary could see. */
    leaks: (secrets: (string | undefined)[]) => {
      const text = visible().join('\n')
      return secrets.filter((s): s is string => !!s && text.includes(s))
    },
  }
}

export type FakeCore = ReturnType<typeof fakeCore>

/** Runs one step (main or post) in process on a fake core; `waits` are the sleeps it asked for, which return at once. */
export async function runStep(
  run: (rt: Runtime) => Promise<void>,
  inputs: Record<string, string>,
  options: FakeCoreOptions & { env?: NodeJS.ProcessEnv; now?: () => number } = {},
) {
  const f = fakeCore(inputs, options)
  const waits: number[] = []
  await run({ core: f.core, env: options.env ?? {}, now: options.now, sleep: async (ms) => void waits.push(ms) })
  return Object.assign(f, { waits })
}
