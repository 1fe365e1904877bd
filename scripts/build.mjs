/**
 * `npm run build`: bundles the main and post entry points with ncc (minified) into dist/.
 * Builds into a fresh folder and swaps it in, so a concurrent run never sees half a dist/.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const out = mkdtempSync(join(process.cwd(), '.dist-'))
try {
  for (const step of ['main', 'post']) {
    execFileSync(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', `src/entry/${step}.ts`, '-o', join(out, step), '-m', '-q'], { stdio: 'inherit' })
  }
  rmSync('dist', { recursive: true, force: true })
  renameSync(out, 'dist')
} finally {
  rmSync(out, { recursive: true, force: true })
}
