/**
 * `npm run build`: one minified bundle that both steps share, built with ncc into dist/.
 *
 *   dist/main/index.js, dist/post/index.js  what action.yml runs: two lines that import the bundle
 *                                           and run their step
 *   dist/lib/index.js                       the bundle (src/entry/steps.ts)
 *   dist/lib/<id>.index.js                  chunks that import() loads only when their flow is
 *                                           used: each provider, jose (private_key_jwt)
 *   dist/lib/no-undici.js                   stands in for undici (src/entry/no-undici.js says why)
 *   dist/package.json                       {"type":"module"}
 *   dist/licenses.txt                       the licence notices of every bundled package
 *                                           (scripts/lib/licences.mjs; a missing one fails the build)
 *
 * Why this shape (measured with `npm run bench`): two separate bundles put every byte in dist/
 * twice; undici alone, which @actions/http-client imports but our requests never use, is two
 * thirds of a bundle and costs each step more start-up time than all our own code.
 *
 * The output depends only on the sources and the locked packages (ncc's chunk and module ids
 * are hashes of paths relative to the project; no cache, no timestamps), so CI can check that
 * dist/ equals a fresh build. It is built into a fresh folder and swapped in, so a concurrent
 * run never sees half a dist/. Type errors in src/ fail the build (src/entry/tsconfig.json).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

import { bundledPackages, licenceNotices } from './lib/licences.mjs'

const ncc = createRequire(import.meta.url)('@vercel/ncc')

/** The import of `undici` becomes an import of this file, relative to dist/lib/index.js. */
const UNDICI_STAND_IN = './no-undici.js'

const stepFile = (step, run) =>
  `// The ${step} step (action.yml runs.${step}). Its code is in the bundle both steps share; see scripts/build.mjs.\n` +
  `import { ${run} } from '../lib/index.js'\nawait ${run}()\n`

const out = mkdtempSync(join(process.cwd(), '.dist-'))
try {
  const { code, assets, stats } = await ncc(resolve('src/entry/steps.ts'), {
    minify: true,
    quiet: true,
    cache: false,
    externals: { undici: UNDICI_STAND_IN },
  })
  const lib = join(out, 'lib')
  mkdirSync(lib)
  writeFileSync(join(lib, 'index.js'), code)
  for (const [name, asset] of Object.entries(assets)) {
    // ncc's own package.json for the folder: dist/package.json covers all of dist/.
    if (name === 'package.json') continue
    mkdirSync(dirname(join(lib, name)), { recursive: true })
    writeFileSync(join(lib, name), asset.source)
  }
  copyFileSync('src/entry/no-undici.js', join(lib, UNDICI_STAND_IN))
  for (const [step, run] of [
    ['main', 'runMain'],
    ['post', 'runPost'],
  ]) {
    mkdirSync(join(out, step))
    writeFileSync(join(out, step, 'index.js'), stepFile(step, run))
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n')
  const modules = stats.toJson({ all: false, modules: true, nestedModules: true, chunks: true, chunkModules: true })
  writeFileSync(join(out, 'licenses.txt'), licenceNotices(bundledPackages(modules)))

  // Two renames, then the delete: a step started meanwhile finds a whole dist/ all but for microseconds.
  const old = `${out}-old`
  if (existsSync('dist')) renameSync('dist', old)
  renameSync(out, 'dist')
  rmSync(old, { recursive: true, force: true })
} catch (err) {
  // ncc's errors (a type error, a module not found) are in the message; its stack is minified noise.
  console.error(err instanceof Error ? err.message : err)
  process.exitCode = 1
} finally {
  rmSync(out, { recursive: true, force: true })
}
