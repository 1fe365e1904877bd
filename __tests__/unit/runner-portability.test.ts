/**
 * The runner emulation (scripts/lib/runner.mjs) reads a step as the runner does on every OS CI
 * uses: on Windows the toolkit ends file-command lines and stdout lines with os.EOL (CRLF), and
 * the runner's parser takes CRLF as LF. A real child process writes them here, as it would there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error: plain ESM helper without type declarations
import * as runner from '../../scripts/lib/runner.mjs'
import { parseFileCommands, renderLog, type StepResult } from '../support/steps.js'

// What @actions/core writes with os.EOL = '\r\n' (file-command.ts prepareKeyValueMessage).
const CRLF_OUTPUT =
  'token<<ghadelimiter_1\r\nabc.def\r\nghadelimiter_1\r\nexpires-at<<ghadelimiter_2\r\n2026-12-01T12:00:00Z\r\nghadelimiter_2\r\n'

test('file commands with CRLF line ends parse as with LF', () => {
  expect(parseFileCommands(CRLF_OUTPUT)).toEqual({ token: 'abc.def', 'expires-at': '2026-12-01T12:00:00Z' })
  expect(parseFileCommands('a=1\r\nb<<EOF\r\nline 1\r\nline 2\r\nEOF\r\n')).toEqual({ a: '1', b: 'line 1\nline 2' })
  expect(parseFileCommands(CRLF_OUTPUT.replace(/\r\n/g, '\n'))).toEqual(parseFileCommands(CRLF_OUTPUT))
})

test('a mask registered on a CRLF line masks what follows', () => {
  expect(renderLog('::add-mask::s3cret\r\nthe value: s3cret\r\n').log).toBe('the value: ***\n')
})

describe('a spawned step that writes CRLF, as on Windows', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-lease-crlf-'))
    writeFileSync(
      join(dir, 'step.mjs'),
      [
        "import { appendFileSync } from 'node:fs'",
        `appendFileSync(process.env.GITHUB_OUTPUT, ${JSON.stringify(CRLF_OUTPUT)})`,
        "appendFileSync(process.env.GITHUB_STEP_SUMMARY, '| a |\\r\\n|---|\\r\\n')",
        "process.stdout.write('::add-mask::abc.def\\r\\nleased abc.def\\r\\n')",
        // What Windows needs to run node at all reaches the step; the test's own variables do not.
        "const has = (n) => n in process.env, win = process.platform === 'win32'",
        "process.stdout.write('root=' + (!win || has('SystemRoot')) + ' tmp=' + (!win || has('TEMP')) + ' leaked=' + has('TOKEN_LEASE_TEST_ONLY') + '\\r\\n')",
      ].join('\n'),
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('outputs, log, summary and stdout come out with LF, the mask applied', async () => {
    process.env.TOKEN_LEASE_TEST_ONLY = 'x'
    let step: StepResult
    try {
      step = await runner.runStep(join(dir, 'step.mjs'), { inputs: { 'client-id': 'a' } })
    } finally {
      delete process.env.TOKEN_LEASE_TEST_ONLY
    }
    expect(step.code).toBe(0)
    expect(step.outputs).toEqual({ token: 'abc.def', 'expires-at': '2026-12-01T12:00:00Z' })
    expect(step.log).toBe('leased ***\nroot=true tmp=true leaked=false\n')
    expect(step.stdout).not.toContain('\r')
    expect(step.summary).toBe('| a |\n|---|\n')
  })
})
