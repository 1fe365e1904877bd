/**
 * dist/licenses.txt: the licence notices of every package the bundle contains. MIT, ISC and the
 * like require their notice to travel with the code, and dist/ is the code users run.
 *
 * ncc's own `license` option (license-webpack-plugin) writes one file per chunk under the same
 * name, so with our chunks only the last chunk's notices survive. Instead, the packages are read
 * from ncc's webpack stats (every module's path, concatenated ones included), and each package's
 * licence file from node_modules. The text is sorted and has no dates or absolute paths, so the
 * same sources and lockfile give the same file. A bundled package without a licence file fails
 * the build: its notice cannot be left out silently.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i

/** Package folders (relative to the project, with `/`) of the modules in webpack stats JSON. */
export function bundledPackages(statsJson) {
  const dirs = new Set()
  const visit = (modules = []) => {
    for (const m of modules) {
      for (const id of [m.name, m.identifier, m.nameForCondition]) {
        const path = String(id ?? '').replace(/\\/g, '/')
        const at = path.lastIndexOf('node_modules/')
        if (at < 0) continue
        const rest = path.slice(at + 'node_modules/'.length).split('/')
        const name = rest[0].startsWith('@') ? rest.slice(0, 2).join('/') : rest[0]
        dirs.add(`node_modules/${name}`)
      }
      visit(m.modules)
    }
  }
  visit(statsJson.modules)
  for (const chunk of statsJson.chunks ?? []) visit(chunk.modules)
  return [...dirs].sort()
}

/**
 * The notices text for `packageDirs` under `root`. Throws, naming every package whose licence
 * file is missing.
 */
export function licenceNotices(packageDirs, root = '.') {
  const missing = []
  const entries = []
  for (const dir of packageDirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
    const files = existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((f) => LICENCE_FILE.test(f))
          .sort()
      : []
    if (files.length === 0) {
      missing.push(`${pkg.name}@${pkg.version} (${dir})`)
      continue
    }
    const texts = files.map((f) =>
      readFileSync(join(root, dir, f), 'utf8')
        .replace(/\r\n/g, '\n')
        .trim(),
    )
    entries.push(`${pkg.name} ${pkg.version}\nLicense: ${pkg.license ?? 'see below'}\n\n${texts.join('\n\n')}`)
  }
  if (missing.length)
    throw new Error(
      `The bundle includes packages without a licence file, so dist/licenses.txt would lack their notices: ${missing.join(', ')}`,
    )
  return `Third-party code bundled in dist/, with its licence notices.\n\n${entries.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`
}
