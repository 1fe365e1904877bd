/**
 * The repository's own GitHub files, read by GitHub's own parsers (@actions/workflow-parser, see
 * scripts/lib/workflow-parser.mjs): every workflow under .github/workflows/, the local actions,
 * action.yml, and the README's reuse example (a composite action and the workflow calling it).
 * They cannot run here, so what they promise is checked here: pinned actions, least permissions,
 * the self-test's order of steps, the release's order of jobs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
// @ts-expect-error: plain ESM script without type declarations
import { releaseNotes } from '../../scripts/release/notes.mjs'
import {
  type Action,
  isAction,
  isLease,
  loadParser,
  type Parsed,
  parseAction,
  parseWorkflow,
  type Step,
  type Workflow,
  yamlBlocks,
} from '../support/workflows.js'

const WORKFLOWS = '.github/workflows'
const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'))
const text = (f: string) => readFileSync(join(WORKFLOWS, f), 'utf8')
const workflows: Record<string, Parsed<Workflow>> = {}
let action: Parsed<Action>
const localActions: Record<string, Parsed<Action>> = {}
const inputsOf = (a: Action) => Object.keys(a.inputs ?? {})
/** An expression as written in YAML. */
const expr = (e: string) => `\${{ ${e} }}`

beforeAll(async () => {
  const started = performance.now()
  await loadParser()
  // Measured: ~2.5 s when ncc bundles the parser, ~50 ms from node_modules/.cache afterwards.
  expect(performance.now() - started).toBeLessThan(30_000)
  for (const f of files) workflows[f] = await parseWorkflow(f, text(f))
  action = await parseAction('action.yml', readFileSync('action.yml', 'utf8'))
  for (const dir of readdirSync('.github/actions')) {
    const path = `.github/actions/${dir}/action.yml`
    localActions[`./.github/actions/${dir}`] = await parseAction(path, readFileSync(path, 'utf8'))
  }
})

const jobsOf = (f: string) => workflows[f].doc.jobs
const stepsOf = (f: string, job: string): Step[] => jobsOf(f)[job].steps ?? []

describe('action.yml and the local actions', () => {
  test("GitHub's action parser accepts action.yml: node24, main and post, every input and output", () => {
    expect(action.errors).toEqual([])
    expect(action.doc.runs).toEqual({ using: 'node24', main: 'dist/main/index.js', post: 'dist/post/index.js', 'post-if': 'always()' })
    expect(inputsOf(action.doc).length).toBeGreaterThan(30)
    expect(Object.keys(action.doc.outputs ?? {})).toContain('token')
  })

  test('the parser is strict: it refuses an unknown runtime and a misspelt key', async () => {
    const bad = readFileSync('action.yml', 'utf8').replace('using: node24', 'using: node99').replace('post-if:', 'post_if:')
    const { errors } = await parseAction('action.yml', bad)
    expect(errors.length).toBeGreaterThanOrEqual(2)
    expect(errors.join('\n')).toMatch(/node99|post_if/)
  })

  test('the local actions parse, and confirm-revoked checks in its post step, always', () => {
    expect(Object.keys(localActions)).toContain('./.github/actions/confirm-revoked')
    for (const [name, parsed] of Object.entries(localActions)) expect({ name, errors: parsed.errors }).toEqual({ name, errors: [] })
    expect(localActions['./.github/actions/confirm-revoked'].doc.runs).toMatchObject({
      using: 'node24',
      post: 'post.mjs',
      'post-if': 'always()',
    })
  })
})

describe('.github/workflows', () => {
  test('ci, release and codeql are there, and GitHub’s workflow parser accepts every file', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml', 'codeql.yml']))
    for (const f of files) expect({ f, errors: workflows[f].errors }).toEqual({ f, errors: [] })
  })

  test('every workflow reads only by default; a job asks for more itself', () => {
    for (const f of files) expect({ f, permissions: workflows[f].doc.permissions }).toEqual({ f, permissions: { contents: 'read' } })
    const writers = files.flatMap((f) =>
      Object.entries(jobsOf(f)).flatMap(([job, j]) =>
        Object.entries(j.permissions ?? {})
          .filter(([, level]) => level === 'write')
          .map(([scope]) => `${f} ${job} ${scope}`),
      ),
    )
    expect(writers.sort()).toEqual(
      [
        'ci.yml selftest-keyless id-token',
        'codeql.yml analyze security-events',
        'dependabot-dist.yml rebuild contents',
        'release.yml ci id-token',
        'release.yml move-major contents',
        'release.yml release contents',
      ].sort(),
    )
  })

  test('third-party actions are pinned to a full commit SHA with its version, the same SHA everywhere', () => {
    const pins = new Map<string, Set<string>>()
    const uses = files.flatMap((f) =>
      text(f)
        .split('\n')
        .filter((l) => /^\s*-? ?uses: /.test(l))
        .map((line) => ({ f, line })),
    )
    expect(uses.length).toBeGreaterThan(10)
    for (const { f, line } of uses) {
      const ref = line.replace(/^\s*-? ?uses: /, '')
      if (ref.startsWith('./')) continue
      const pinned = /^([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/.exec(ref)
      expect({ f, ref, pinned: !!pinned }).toEqual({ f, ref, pinned: true })
      if (!pinned) continue
      const action = pinned[1].split('/').slice(0, 2).join('/')
      pins.set(action, (pins.get(action) ?? new Set()).add(`${pinned[2]} ${ref.split(' # ')[1]}`))
    }
    for (const [name, shas] of pins) expect({ name, shas: shas.size }).toEqual({ name, shas: 1 })
  })

  test('an expression inside run: is seen as one, however it is written', async () => {
    const { doc } = await parseWorkflow(
      'x.yml',
      `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          echo \${{github.sha}}\n`,
    )
    expect(doc.jobs.a.steps?.[0].run).toContain('${{')
  })

  test('no expression inside run:, and steps using this action or a local one pass only declared inputs', () => {
    for (const f of files)
      for (const [job, j] of Object.entries(jobsOf(f)))
        for (const step of j.steps ?? []) {
          if (typeof step.run === 'string') expect({ f, job, run: step.run.includes('${{') }).toEqual({ f, job, run: false })
          const declared =
            step.uses === './'
              ? inputsOf(action.doc)
              : step.uses
                ? localActions[step.uses] && inputsOf(localActions[step.uses].doc)
                : undefined
          if (declared) for (const k of Object.keys(step.with ?? {})) expect(declared).toContain(k)
        }
  })
})

describe('ci.yml', () => {
  const ci = () => workflows['ci.yml'].doc as Workflow & { on: Record<string, unknown> }

  test('runs on push and pull request, and can be called by the release', () => {
    expect(Object.keys(ci().on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_call']))
  })

  test("runs .ci/run's checks: install, typecheck, lint, docs drift, tests, dist/ equal to a fresh build", () => {
    const runs = stepsOf('ci.yml', 'checks')
      .map((s) => s.run ?? '')
      .join('\n')
    for (const command of [
      'npm ci',
      'npm run typecheck',
      'npm run lint',
      'scripts/docs.mjs --check',
      'npm test',
      'npm run build',
      'git status --porcelain dist',
    ])
      expect(runs).toContain(command)
  })

  test('runs the runner-contract tests on Linux, Windows and macOS with Node 24', () => {
    const job = jobsOf('ci.yml').contract as { strategy?: { matrix?: { os?: string[] } }; steps?: Step[] }
    expect(job.strategy?.matrix?.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest'])
    expect(stepsOf('ci.yml', 'contract').find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe('24')
    expect(stepsOf('ci.yml', 'contract').some((s) => s.run?.includes('npm test -- __tests__/contract'))).toBe(true)
  })

  test.each([
    ['selftest', { 'client-id': 'selftest' }],
    ['selftest-keyless', { 'client-id': 'selftest-keyless', 'grant-type': 'token-exchange' }],
  ])('%s: starts the server, places confirm-revoked before the lease (uses: ./), checks the outputs after it', (job, inputs) => {
    const steps = stepsOf('ci.yml', job)
    const at = (p: (s: Step) => boolean) => steps.findIndex(p)
    const server = at((s) => !!s.run?.includes('scripts/selftest/start.sh'))
    const confirm = at((s) => s.uses === './.github/actions/confirm-revoked')
    const lease = at((s) => s.uses === './')
    const check = at((s) => !!s.run?.includes('scripts/selftest/check-lease.mjs'))
    expect({ server, confirm, lease, check }).toEqual({
      server: expect.any(Number),
      confirm: server + 1,
      lease: server + 2,
      check: server + 3,
    })
    expect(server).toBeGreaterThan(0)
    expect(steps[lease].with).toMatchObject(inputs)
    expect(steps[check].env).toEqual({
      TOKEN: expr('steps.lease.outputs.token'),
      EXPIRES_AT: expr('steps.lease.outputs.expires-at'),
      REVOCATION: expr('steps.lease.outputs.revocation'),
      CLIENT_ID: inputs['client-id'],
    })
  })

  test("the keyless self-test grants id-token: write at the job and trusts GitHub's issuer", () => {
    expect(jobsOf('ci.yml')['selftest-keyless'].permissions).toEqual({ contents: 'read', 'id-token': 'write' })
    expect(stepsOf('ci.yml', 'selftest-keyless').some((s) => s.run?.includes('--trust-github'))).toBe(true)
    expect(jobsOf('ci.yml').selftest.permissions).toBeUndefined()
  })

  test('a last job scans the finished self-test logs for the tokens, by their hashes', () => {
    const job = jobsOf('ci.yml')['selftest-log']
    expect(job.needs).toEqual(['selftest', 'selftest-keyless'])
    expect(job.permissions).toEqual({ contents: 'read', actions: 'read' })
    expect((job.steps ?? []).some((s) => s.run?.includes('scripts/selftest/scan-log.mjs'))).toBe(true)
  })
})

describe('release.yml', () => {
  test('on a v1.x.y tag: gate, then all of CI, then the release, and only then v1 moves', () => {
    const release = workflows['release.yml'].doc as Workflow & { on: { push: { tags: string[] } } }
    expect(release.on).toEqual({ push: { tags: ['v1.*.*'] } })
    const jobs = release.jobs as Record<string, { needs?: string; uses?: string }>
    expect(jobs.ci).toMatchObject({ needs: 'gate', uses: './.github/workflows/ci.yml' })
    expect(jobs.release.needs).toBe('ci')
    expect(jobs['move-major'].needs).toBe('release')
    const runs = (job: string) =>
      stepsOf('release.yml', job)
        .map((s) => s.run ?? '')
        .join('\n')
    expect(runs('gate')).toContain('scripts/release/notes.mjs "$GITHUB_REF_NAME"')
    expect(runs('gate')).toContain('git merge-base --is-ancestor "$GITHUB_SHA" origin/main')
    expect(runs('release')).toMatch(/gh release create "\$GITHUB_REF_NAME" --verify-tag .*--notes-file/)
    expect(runs('move-major')).toMatch(/git tag -fa v1 .*"\$GITHUB_SHA"\n\s*git push origin v1 --force/)
  })

  test('RELEASING.md describes that workflow', () => {
    const releasing = readFileSync('RELEASING.md', 'utf8')
    for (const s of ['release.yml', 'ci.yml', 'scripts/release/notes.mjs', 'git merge-base', 'v1.*.*', 'move-major'])
      expect(releasing).toContain(s)
  })

  test('the notes are the changelog section of the tag; a tag that disagrees is refused', () => {
    const changelog = readFileSync('CHANGELOG.md', 'utf8')
    const notes = releaseNotes('v1.0.0', changelog, '1.0.0')
    expect(notes).toMatch(/^The first release/)
    expect(notes).toContain('### Added')
    expect(notes).not.toMatch(/^## /m)
    expect(() => releaseNotes('v1.0.0-rc.1', changelog, '1.0.0')).toThrow("'v1.0.0-rc.1' is not a release tag: expected vX.Y.Z")
    expect(() => releaseNotes('v1.0.1', changelog, '1.0.0')).toThrow('package.json says 1.0.0, the tag says 1.0.1')
    expect(() => releaseNotes('v1.0.1', changelog, '1.0.1')).toThrow("CHANGELOG.md has no '## [1.0.1] - YYYY-MM-DD' section")
    expect(() => releaseNotes('v1.0.1', '## [1.0.1] - 2026-12-01\n\nNothing.\n', '1.0.1')).toThrow('has no entries')
  })
})

describe('codeql.yml and dependabot.yml', () => {
  test('CodeQL analyses javascript-typescript', () => {
    const init = stepsOf('codeql.yml', 'analyze').find((s) => s.uses?.startsWith('github/codeql-action/init@'))
    expect(init?.with?.languages).toBe('javascript-typescript')
    expect(stepsOf('codeql.yml', 'analyze').some((s) => s.uses?.startsWith('github/codeql-action/analyze@'))).toBe(true)
  })

  test('Dependabot groups npm updates into one pull request, whose dist/ a workflow rebuilds, and updates actions', () => {
    const config = parse(readFileSync('.github/dependabot.yml', 'utf8')) as {
      version: number
      updates: { 'package-ecosystem': string; groups?: Record<string, { patterns: string[] }> }[]
    }
    expect(config.version).toBe(2)
    const npm = config.updates.find((u) => u['package-ecosystem'] === 'npm')
    expect(Object.values(npm?.groups ?? {})).toEqual([{ patterns: ['*'] }])
    expect(config.updates.map((u) => u['package-ecosystem'])).toContain('github-actions')
    const rebuild = stepsOf('dependabot-dist.yml', 'rebuild')
      .map((s) => s.run ?? '')
      .join('\n')
    expect(rebuild).toContain('npm run build')
    expect(rebuild).toContain('git add dist')
    expect((jobsOf('dependabot-dist.yml').rebuild as { if?: string }).if).toContain("github.actor == 'dependabot[bot]'")
  })
})

describe("README: reuse through an organisation's composite action", () => {
  const blocks = yamlBlocks(readFileSync('README.md', 'utf8')).filter((b) => b.section === 'Reuse across repositories')

  test("the composite action passes GitHub's action parser and gives token-lease only declared inputs", async () => {
    const composite = blocks.find((b) => isAction(b.text))
    expect(composite).toBeDefined()
    const { errors, doc } = await parseAction('action.yml', composite!.text)
    expect(errors).toEqual([])
    expect(doc.runs.using).toBe('composite')
    const lease = (doc.runs.steps ?? []).find(isLease)
    expect(lease).toBeDefined()
    for (const k of Object.keys(lease?.with ?? {})) expect(inputsOf(action.doc)).toContain(k)
    // Secrets come from the caller; everything else is the organisation's.
    expect(lease?.with?.['client-secret']).toBe(expr('inputs.client-secret'))
    expect(lease?.with?.issuer).toMatch(/^https:\/\//)
    expect(Object.keys(doc.outputs ?? {})).toContain('token')
  })

  test("the calling workflow passes GitHub's workflow parser and passes only a secret", async () => {
    const caller = blocks.find((b) => !isAction(b.text))
    const composite = await parseAction('action.yml', blocks.find((b) => isAction(b.text))!.text)
    const { errors, doc } = await parseWorkflow('deploy.yml', caller!.text)
    expect(errors).toEqual([])
    const step = Object.values(doc.jobs)
      .flatMap((j) => j.steps ?? [])
      .find((s) => s.uses?.startsWith('<org>/ci-actions/'))
    expect(step?.with).toEqual({ 'client-secret': expr('secrets.DEPLOY_CLIENT_SECRET') })
    for (const k of Object.keys(step?.with ?? {})) expect(inputsOf(composite.doc)).toContain(k)
  })
})

describe('SECURITY.md and CONTRIBUTING.md', () => {
  test('SECURITY.md: private reporting, the supported versions, what is guaranteed and what is not', () => {
    const security = readFileSync('SECURITY.md', 'utf8')
    expect(security).toMatch(/security advisories/)
    expect(security).toMatch(/\*\*Report a vulnerability\*\*/)
    expect(security).toMatch(/^## Supported versions$/m)
    expect(security).toMatch(/^## What the action guarantees$/m)
    expect(security).toMatch(/^## What it cannot guarantee$/m)
    for (const limit of ['A step that prints the token itself', 'A server that logs it', "The runner's masking limits"])
      expect(security).toContain(limit)
  })

  test('CONTRIBUTING.md: every npm script and file it names exists', () => {
    const contributing = readFileSync('CONTRIBUTING.md', 'utf8')
    const scripts = Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).scripts)
    const named = [...contributing.matchAll(/`npm run ([\w-]+)/g)].map((m) => m[1])
    expect(named.length).toBeGreaterThan(5)
    for (const s of named) expect(scripts).toContain(s)
    for (const [, path] of contributing.matchAll(/`((?:scripts|src|__tests__|\.ci|\.github)\/[\w./-]+\.(?:mjs|ts|yml|sh)|\.ci\/run)`/g))
      expect({ path, exists: existsSync(path) }).toEqual({ path, exists: true })
  })
})
