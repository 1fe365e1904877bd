/**
 * The documentation as an interface: action.yml declares exactly the inputs the code reads and
 * the outputs it sets, each described with what it is, who uses it and its default (and those
 * defaults are the code's); scripts/docs.mjs turns it into the README's tables and `--check`
 * fails when they drift; and every recipe in the README is a workflow the action accepts.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { INPUT_NAMES, parseConfig, type RawInputs } from '../../src/inputs.js'
import { SECRET_INPUTS } from '../../src/secrets.js'
// @ts-expect-error: plain ESM script without type declarations
import * as docs from '../../scripts/docs.mjs'
import {
  asWorkflow,
  type Block,
  isAction,
  isWholeWorkflow,
  parseWorkflow,
  RECIPE_SECTIONS,
  type Step,
  type Workflow,
  isLease,
  yamlBlocks,
} from '../support/workflows.js'

interface Spec {
  description: string
  default?: string
}
interface Action {
  name: string
  description: string
  branding: { icon: string; color: string }
  inputs: Record<string, Spec>
  outputs: Record<string, Spec>
  runs: Record<string, string>
}

const ACTION_YML = readFileSync('action.yml', 'utf8')
const action = parse(ACTION_YML) as Action
const README = readFileSync('README.md', 'utf8')

/** The outputs DESIGN.md names, in its order. */
const OUTPUTS = [
  'token',
  'token-type',
  'expires-in',
  'expires-at',
  'scope',
  'refresh-token',
  'api-token',
  'api-token-expires-at',
  'revocation',
  'token-fingerprint',
]

describe('action.yml', () => {
  test('declares every input the code reads, in the same order, and nothing else', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES])
  })

  test('declares every output of the design', () => {
    expect(Object.keys(action.outputs)).toEqual(OUTPUTS)
  })

  test('describes each input as "what it is. Used by: …. Default: …."', () => {
    expect(docs.problems(action)).toEqual([])
    for (const [name, spec] of Object.entries(action.inputs)) {
      const d = docs.splitDescription(spec.description)
      expect({ name, what: d.what.length > 20, usedBy: !!d.usedBy, default: !!d.default }).toEqual({
        name,
        what: true,
        usedBy: true,
        default: true,
      })
    }
  })

  test('says "Masked" for every secret input, and for no other', () => {
    const masked = Object.entries(action.inputs)
      .filter(([, spec]) => /\bMasked\b/.test(spec.description))
      .map(([name]) => name)
    expect(masked.sort()).toEqual([...SECRET_INPUTS].sort())
  })

  test.each(Object.entries(action.inputs).filter(([, spec]) => spec.default !== undefined))(
    "the default of '%s' in action.yml is the code's own default",
    (name, spec) => {
      // The runner passes action.yml's default when the workflow gives none: it must change nothing.
      const base: RawInputs = { 'token-url': 'https://as.example/token' }
      expect(parseConfig({ ...base, [name]: spec.default })).toEqual(parseConfig(base))
    },
  )

  test('keeps the runtime, the bundles, post-if and branding', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/main/index.js', post: 'dist/post/index.js', 'post-if': 'always()' })
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
    expect(action.description.length).toBeLessThan(125) // the Marketplace's limit for a listing
  })
})

describe('scripts/docs.mjs', () => {
  const fixture = `
inputs:
  alpha:
    description: "The first input: a | pipe. Used by: \`oauth2\`. Default: \`on\`."
    default: "on"
  beta:
    description: |
      Spans
      lines. Used by: every provider. Default: none.
outputs:
  token:
    description: "The token."
`
  const readme = (body = 'old') =>
    `# Title\n\nIntro.\n\n<!-- inputs:start -->\n${body}\n<!-- inputs:end -->\n\nMiddle.\n\n<!-- outputs:start -->\n<!-- outputs:end -->\n\nEnd.\n`

  test('splits a description into what it is, who uses it and its default', () => {
    expect(docs.splitDescription('A thing. Used by: `m-trust` (required). Default: `false`.')).toEqual({
      what: 'A thing.',
      usedBy: '`m-trust` (required)',
      default: '`false`',
    })
    expect(docs.splitDescription('No parts.')).toEqual({ what: 'No parts.', usedBy: undefined, default: undefined })
  })

  test('renders the tables between the markers and leaves the rest of the README alone', () => {
    const note = '<!-- generated from action.yml by scripts/docs.mjs: edit action.yml, then run `npm run docs` -->'
    expect(docs.renderReadme(readme(), fixture)).toBe(
      [
        '# Title',
        '',
        'Intro.',
        '',
        '<!-- inputs:start -->',
        note,
        '| Input | What it is | Used by | Default |',
        '|---|---|---|---|',
        '| `alpha` | The first input: a \\| pipe. | `oauth2` | `on` |',
        '| `beta` | Spans lines. | every provider | none |',
        '<!-- inputs:end -->',
        '',
        'Middle.',
        '',
        '<!-- outputs:start -->',
        note,
        '| Output | What it is |',
        '|---|---|',
        '| `token` | The token. |',
        '<!-- outputs:end -->',
        '',
        'End.',
        '',
      ].join('\n'),
    )
  })

  test('is idempotent', () => {
    const once = docs.renderReadme(readme(), fixture)
    expect(docs.renderReadme(once, fixture)).toBe(once)
    expect(docs.staleSections(once, once)).toEqual([])
    expect(docs.staleSections(readme(), once)).toEqual(['inputs', 'outputs'])
  })

  test('refuses a README without markers, naming them', () => {
    expect(() => docs.renderReadme('# Title\n<!-- inputs:start -->\n<!-- inputs:end -->\n', fixture)).toThrow(
      'README.md has no <!-- outputs:start --> … <!-- outputs:end --> markers around the outputs table',
    )
  })

  test('refuses descriptions without their parts, or with a default that contradicts action.yml', () => {
    const bad = `
inputs:
  gamma:
    description: "Says nothing else."
  delta:
    description: "A count. Used by: every provider. Default: \`5\`."
    default: "3"
  epsilon:
    description: ""
outputs:
  token:
    description: ""
`
    expect(() => docs.renderReadme(readme(), bad)).toThrow(
      [
        'action.yml cannot be documented:',
        `- input 'gamma': the description must read "What it is. Used by: …. Default: …."`,
        "- input 'delta': the description's Default (`5`) does not name action.yml's default `3`",
        "- input 'epsilon' has no description",
        "- output 'token' has no description",
      ].join('\n'),
    )
  })

  describe('on the command line', () => {
    let dir: string
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'token-lease-docs-'))
    })
    afterEach(() => rmSync(dir, { recursive: true, force: true }))

    const cli = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['scripts/docs.mjs', ...args], (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
        )
      })

    test('--check passes on the committed README and action.yml', async () => {
      expect(await cli('--check')).toEqual({ code: 0, stdout: 'README.md: the inputs and outputs tables match action.yml.\n', stderr: '' })
    })

    test('--check fails on a stale README, saying which table and what to run; a run then fixes it', async () => {
      const readmePath = join(dir, 'README.md')
      const actionPath = join(dir, 'action.yml')
      writeFileSync(actionPath, fixture)
      const current = docs.renderReadme(readme(), fixture)
      writeFileSync(readmePath, current.replace('| `beta` | Spans lines.', '| `beta` | Spans lines (edited by hand).'))

      const stale = await cli('--check', '--readme', readmePath, '--action', actionPath)
      expect(stale.code).toBe(1)
      expect(stale.stdout).toBe('')
      expect(stale.stderr).toMatch(
        /^\S*README\.md is stale: its inputs table differs from \S*action\.yml\. Run `npm run docs` and commit README\.md\.\n$/,
      )
      expect(readFileSync(readmePath, 'utf8')).not.toBe(current) // --check writes nothing

      const fix = await cli('--readme', readmePath, '--action', actionPath)
      expect(fix.code).toBe(0)
      expect(fix.stdout).toMatch(/regenerated the inputs table from/)
      expect(readFileSync(readmePath, 'utf8')).toBe(current)
      expect((await cli('--check', '--readme', readmePath, '--action', actionPath)).code).toBe(0)
    })

    test('a README without markers fails with the reason', async () => {
      const readmePath = join(dir, 'README.md')
      const actionPath = join(dir, 'action.yml')
      writeFileSync(actionPath, fixture)
      writeFileSync(readmePath, '# Title\n')
      expect(await cli('--check', '--readme', readmePath, '--action', actionPath)).toEqual({
        code: 1,
        stdout: '',
        stderr: 'README.md has no <!-- inputs:start --> … <!-- inputs:end --> markers around the inputs table\n',
      })
    })
  })
})

describe('README.md', () => {
  test('keeps the two quick-start commands', () => {
    expect(README).toMatch(/^npm ci && npm run demo\b.*$/m)
    expect(README).toMatch(/^npm test\b.*$/m)
  })

  test('has the sections others fill in, with their markers', () => {
    expect(README).toMatch(/^## Troubleshooting\n\n<!-- troubleshooting -->$/m)
    expect(README).toMatch(/^## Performance\n\n<!-- performance -->$/m)
  })

  test('has a recipe for every provider and flow', () => {
    const headings = README.split('\n').filter((l) => l.startsWith('### '))
    for (const recipe of [
      /^### OAuth client credentials$/,
      /^### Issuer discovery$/,
      /^### Venafi TPP, password$/,
      /^### Venafi TPP, client certificate$/,
      /^### Venafi TPP, keyless/,
      /^### Signeasy$/,
      /^### M-Trust, with API token rotation$/,
      /^### GitHub OIDC → Entra ID/,
      /^### Token exchange \(RFC 8693/,
      /^### Exchange a long-lived PAT or SAT/,
      /^### OAuth client with a private key \(`private_key_jwt`\)$/,
    ])
      expect(headings).toContainEqual(expect.stringMatching(recipe))
  })

  test('every in-page link points at a heading that exists', () => {
    // GitHub's anchors: lower case, punctuation dropped, spaces to hyphens.
    const anchor = (h: string) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-')
    const anchors = new Set(
      README.split('\n')
        .filter((l) => /^#{1,4} /.test(l))
        .map((l) => anchor(l.replace(/^#+ /, ''))),
    )
    const links = [...README.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1])
    expect(links.length).toBeGreaterThan(5)
    for (const link of links) expect({ link, exists: anchors.has(link) }).toEqual({ link, exists: true })
  })

  describe('recipes', () => {
    const blocks = yamlBlocks(README)
    const recipes = blocks.filter((b) => RECIPE_SECTIONS.includes(b.section) && !isAction(b.text))
    /** What the runner passes: action.yml's defaults under the workflow's values; expressions become plain text. */
    const effectiveInputs = (step: Step): RawInputs => {
      const defaults = Object.fromEntries(
        Object.entries(action.inputs).flatMap(([n, s]) => (s.default === undefined ? [] : [[n, s.default]])),
      )
      const given = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{\{[^}]*\}\}/g, 'expr-value')]),
      )
      return { ...defaults, ...given }
    }
    /** Whether these inputs make the action ask GitHub for the job's OIDC token. */
    const usesGithubOidc = (i: RawInputs) =>
      i['client-auth'] === 'github-oidc' ||
      (i['grant-type'] === 'token-exchange' && !i['subject-token']) ||
      (i['grant-type'] === 'jwt-bearer' && !i.assertion) ||
      (i.provider === 'venafi-tpp' && !i.username && !i['client-certificate'])

    type Found = { block: Block; step: Step; permissions?: Record<string, string>; whole: boolean }
    /** Every block read by GitHub's own parser (a fragment inside the smallest workflow), and its errors. */
    let parsed: { block: Block; whole: boolean; errors: string[]; doc: Workflow }[] = []
    let all: Found[] = []
    let leases: Found[] = []
    beforeAll(async () => {
      parsed = await Promise.all(
        blocks
          .filter((b) => !isAction(b.text))
          .map(async (block) => {
            const whole = isWholeWorkflow(block.text)
            const { errors, doc } = await parseWorkflow(`README.md:${block.line}`, whole ? block.text : asWorkflow(block.text))
            return { block, whole, errors, doc }
          }),
      )
      all = parsed.flatMap(({ block, whole, doc }) =>
        Object.values(doc?.jobs ?? {}).flatMap((job) =>
          (job.steps ?? []).map((step) => {
            const permissions = job.permissions ?? (typeof doc.permissions === 'object' ? doc.permissions : undefined)
            return { block, step, permissions, whole }
          }),
        ),
      )
      leases = all.filter(({ step }) => isLease(step))
    })

    test("each is a whole workflow file (name, on, permissions, jobs) that GitHub's parser accepts", () => {
      expect(recipes.length).toBeGreaterThanOrEqual(12)
      for (const block of recipes) {
        const p = parsed.find((x) => x.block === block)
        expect({ at: `README.md:${block.line} (${block.heading})`, whole: p?.whole, errors: p?.errors }).toEqual({
          at: `README.md:${block.line} (${block.heading})`,
          whole: true,
          errors: [],
        })
        expect(Object.keys(p?.doc ?? {})).toEqual(expect.arrayContaining(['name', 'on', 'permissions', 'jobs']))
      }
    })

    test("every other YAML block, whole or a fragment of steps, is one GitHub's parser accepts", () => {
      expect(parsed.length).toBeGreaterThan(recipes.length)
      for (const { block, errors } of parsed) expect({ at: block.line, errors }).toEqual({ at: block.line, errors: [] })
    })

    test('the parser reports what a copied recipe without on: would have got', async () => {
      const withoutOn = recipes[0].text.replace(/^on:\n(?: .*\n)+/m, '')
      expect((await parseWorkflow('recipe.yml', withoutOn)).errors).toEqual([
        'recipe.yml (Line: 1, Col: 1): Required property is missing: on',
      ])
    })

    test('are many, and cover every provider and flow', () => {
      expect(leases.length).toBeGreaterThanOrEqual(14)
      const seen = leases.map(({ step }) => effectiveInputs(step))
      expect(new Set(seen.map((i) => i.provider))).toEqual(new Set(['oauth2', 'venafi-tpp', 'm-trust', 'signeasy']))
      for (const want of [
        (i: RawInputs) => !!i.issuer,
        (i: RawInputs) => !!i['token-url'] && !!i['revocation-url'],
        (i: RawInputs) => i['client-auth'] === 'github-oidc',
        (i: RawInputs) => i['client-auth'] === 'private_key_jwt' && !!i['private-key'],
        (i: RawInputs) => i['grant-type'] === 'token-exchange' && !i['subject-token'],
        (i: RawInputs) => i['grant-type'] === 'token-exchange' && !!i['subject-token'],
        (i: RawInputs) => i['rotate-api-token'] === 'true',
        (i: RawInputs) => i.provider === 'venafi-tpp' && !!i.password,
        (i: RawInputs) => i.provider === 'venafi-tpp' && !!i['client-certificate'],
        (i: RawInputs) => i.provider === 'venafi-tpp' && usesGithubOidc(i),
      ])
        expect(seen.some(want)).toBe(true)
    })

    test("use only inputs action.yml declares, and pass the action's own checks", () => {
      for (const { step } of leases) {
        for (const name of Object.keys(step.with ?? {})) expect(INPUT_NAMES).toContain(name)
        expect(() => parseConfig(effectiveInputs(step))).not.toThrow()
      }
    })

    test("grant id-token: write at the job wherever the job's GitHub OIDC token is used", () => {
      const keyless = leases.filter(({ step, whole }) => whole && usesGithubOidc(effectiveInputs(step)))
      expect(keyless.length).toBeGreaterThanOrEqual(4)
      for (const { block, permissions } of keyless)
        expect({ at: block.line, idToken: permissions?.['id-token'] }).toEqual({ at: block.line, idToken: 'write' })
    })

    test('never put an expression inside run:, and hand the token on through env:', () => {
      const runs = all.filter(({ step }) => typeof step.run === 'string')
      expect(runs.length).toBeGreaterThan(10)
      for (const { step } of runs) expect(step.run).not.toContain('${{')
      const tokenUses = all.filter(({ step }) => JSON.stringify(step.env ?? {}).includes('.outputs.token'))
      expect(tokenUses.length).toBeGreaterThan(10)
    })
  })
})

describe('CHANGELOG.md and RELEASING.md', () => {
  test('the changelog keeps an Unreleased section and describes 1.0.0', () => {
    const changelog = readFileSync('CHANGELOG.md', 'utf8')
    expect(changelog).toMatch(/^## \[Unreleased\]$/m)
    expect(changelog).toMatch(/^## \[1\.0\.0\] - \d{4}-\d\d-\d\d$/m)
    expect(changelog).toContain('### Added')
  })

  test('the release guide explains the moving major tag, immutable version tags and a fresh dist/', () => {
    const releasing = readFileSync('RELEASING.md', 'utf8')
    expect(releasing).toContain('`v1`')
    expect(releasing).toMatch(/`v1\.\d+\.\d+`|`v1\.x\.y`/)
    expect(releasing).toMatch(/git tag -fa v1\b/)
    expect(releasing).toMatch(/dist\/.*fresh build/)
  })
})
