/**
 * Runs a bundled step the way the GitHub runner does (PROTOCOLS.md §6): INPUT_* variables
 * (hyphens kept), STATE_* for post, per-step GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV /
 * GITHUB_STEP_SUMMARY files parsed after the step, and the log rendered as the runner shows
 * it — workflow commands interpreted, their data un-escaped (`%25 %0D %0A`) before masking, and
 * `::add-mask::` applied, with the forms the runner derives itself, from its line on, not before.
 *
 * Portable to the runner's three operating systems, as CI runs it (ci.yml, job `contract`): the
 * toolkit ends stdout lines and file-command lines with os.EOL (CRLF on Windows) and the runner
 * reads either; the child gets the variables Windows needs to run Node at all; the step's files
 * are in os.tmpdir(); the node binary is spawned directly, never through a shell.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Parses a file-command file: `k=v` lines and `k<<DELIM` heredocs, with LF or CRLF line ends as the
 * runner reads them. A heredoc's lines are joined with LF.
 */
export function parseFileCommands(text) {
  const out = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (!line) continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const value = []
      let j = i + 1
      while (j < lines.length && lines[j] !== heredoc[2]) value.push(lines[j++])
      if (j === lines.length) throw new Error(`Matching delimiter not found '${heredoc[2]}'`)
      out[heredoc[1]] = value.join('\n')
      i = j
    } else {
      const eq = line.indexOf('=')
      if (eq <= 0) throw new Error(`Invalid file command line: ${line.slice(0, 20)}`)
      out[line.slice(0, eq)] = line.slice(eq + 1)
    }
  }
  return out
}

const unescapeData = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')

/**
 * The forms the runner masks on its own for a registered value (PROTOCOLS.md §6; runner
 * ValueEncoders.cs): base64 from byte 0, 1 and 2, trimmed of padding and of the character before
 * it (ADR 0297), JSON string escaping, `\"` escaping, Uri.EscapeDataString, XML escaping, and the
 * value without surrounding quotes.
 */
export function runnerForms(value) {
  const forms = [value]
  const bytes = Buffer.from(value, 'utf8')
  forms.push(bytes.toString('base64'))
  for (let shift = 0; shift < 3 && shift < bytes.length; shift++) {
    const b64 = bytes.subarray(shift).toString('base64')
    forms.push(b64.includes('=') ? b64.replace(/=+$/, '').slice(0, -1) : b64)
  }
  forms.push(JSON.stringify(value).slice(1, -1), value.replace(/"/g, '\\"'))
  forms.push(encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
  const xml = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
  forms.push(value.replace(/[&<>"']/g, (c) => xml[c]))
  if (value.length > 8 && value.startsWith('"') && value.endsWith('"')) forms.push(value.slice(1, -1))
  return [...new Set(forms)].filter((f) => f.length > 0)
}

/** Renders stdout as the runner's log view: masks applied from their registration on. */
export function renderLog(stdout, { debug = false } = {}) {
  const masks = []
  const rendered = []
  const apply = (text) => {
    let out = text
    for (const m of [...masks].sort((a, b) => b.length - a.length)) out = out.split(m).join('***')
    return out
  }
  for (const raw of stdout.split(/\r?\n/)) {
    const cmd = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(raw)
    if (!cmd) {
      rendered.push(apply(raw))
      continue
    }
    const [, name, , data] = cmd
    const value = unescapeData(data)
    switch (name) {
      case 'add-mask':
        // The runner masks the value and each of its lines (trimmed).
        if (value.trim()) {
          masks.push(...runnerForms(value))
          for (const l of value.split(/\r?\n/)) if (l.trim()) masks.push(...runnerForms(l.trim()))
        }
        break
      case 'debug':
        if (debug) rendered.push(apply(`##[debug]${value}`))
        break
      case 'warning':
      case 'error':
      case 'notice':
        rendered.push(apply(`##[${name}]${value}`))
        break
      case 'group':
        rendered.push(apply(`##[group]${value}`))
        break
      case 'endgroup':
        break
      default:
        rendered.push(apply(raw))
    }
  }
  return { log: rendered.join('\n'), masks }
}

/**
 * Spawns `script` (a dist bundle) as a runner step. Options: inputs (by input name), state
 * (for post), env (extra variables), debug (RUNNER_DEBUG=1), node (the node binary).
 */
export async function runStep(
  script,
  { inputs = {}, state = {}, env = {}, debug = false, node = process.execPath, timeoutMs = 120_000 } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'token-lease-step-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const stepEnv = {
    ...systemEnv(),
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: dir,
    ...files,
    ...(debug ? { RUNNER_DEBUG: '1' } : {}),
    ...env,
  }
  for (const [k, v] of Object.entries(inputs)) stepEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v
  for (const [k, v] of Object.entries(state)) stepEnv[`STATE_${k}`] = v
  const started = performance.now()
  const child = spawn(node, [script], { env: stepEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)))
  clearTimeout(timer)
  const durationMs = performance.now() - started
  const read = (f) => readFileSync(f, 'utf8')
  // The runner reads the step's output line by line: a CRLF is a line end like LF, nothing more.
  stdout = lf(stdout)
  stderr = lf(stderr)
  const { log, masks } = renderLog(stdout, { debug })
  const result = {
    code,
    durationMs,
    stdout,
    stderr,
    log,
    masks,
    outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
    state: parseFileCommands(read(files.GITHUB_STATE)),
    env: parseFileCommands(read(files.GITHUB_ENV)),
    // Markdown: CRLF and LF render alike.
    summary: lf(read(files.GITHUB_STEP_SUMMARY)),
  }
  // Windows may hold a file of a just-ended process for a moment.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
  return result
}

const lf = (text) => text.replace(/\r\n/g, '\n')

/**
 * What the runner's environment gives every step besides its own variables, so that node runs on
 * each OS: the search path and home, and on Windows the system folders and temp folders (without
 * SystemRoot, Node on Windows cannot even open a socket). Nothing else of the test's environment
 * is passed on.
 */
function systemEnv() {
  const names = ['PATH', 'HOME', 'TMPDIR', 'LANG']
  if (process.platform === 'win32')
    names.push('PATHEXT', 'SystemRoot', 'SystemDrive', 'windir', 'ComSpec', 'TEMP', 'TMP', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA')
  return Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]]))
}

/** Every place a secret could leak to a reader: the rendered log, stderr, the summary. */
export function leaks(result, secrets) {
  const visible = [result.log, result.stderr, result.summary].join('\n')
  return secrets.filter((s) => s && visible.includes(s))
}
