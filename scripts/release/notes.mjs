/**
 * release.yml's gate and notes: `node scripts/release/notes.mjs v1.2.3` checks that the tag is a
 * plain version tag equal to package.json's version and that CHANGELOG.md has a dated
 * `## [1.2.3] - YYYY-MM-DD` section with entries, then prints that section's text (the GitHub
 * release's notes). Exits 1 with the reason otherwise.
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** The release notes for `tag` from a changelog's text; throws naming what is missing. */
export function releaseNotes(tag, changelog, packageVersion) {
  const m = /^v(\d+\.\d+\.\d+)$/.exec(tag ?? '')
  if (!m) throw new Error(`'${tag}' is not a release tag: expected vX.Y.Z, e.g. v1.2.3`)
  const version = m[1]
  if (packageVersion !== version)
    throw new Error(`package.json says ${packageVersion}, the tag says ${version}: run npm version ${version} --no-git-tag-version first`)
  const lines = changelog.split('\n')
  const start = lines.findIndex((l) => l.startsWith(`## [${version}]`))
  if (start < 0) throw new Error(`CHANGELOG.md has no '## [${version}] - YYYY-MM-DD' section`)
  if (!/^## \[[^\]]+\] - \d{4}-\d\d-\d\d$/.test(lines[start])) throw new Error(`CHANGELOG.md's heading '${lines[start]}' has no date`)
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l))
  if (end < 0) end = lines.length
  // Link references ([1.2.3]: https://…) at the bottom of the file are not part of the notes.
  const body = lines
    .slice(start + 1, end)
    .filter((l) => !/^\[[^\]]+\]: /.test(l))
    .join('\n')
    .trim()
  if (!/^- /m.test(body)) throw new Error(`CHANGELOG.md's section for ${version} has no entries`)
  return body
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    process.stdout.write(`${releaseNotes(process.argv[2], readFileSync('CHANGELOG.md', 'utf8'), pkg.version)}\n`)
  } catch (err) {
    console.error(`::error::${err.message}`)
    process.exit(1)
  }
}
