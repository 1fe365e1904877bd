/**
 * dist/licenses.txt (scripts/lib/licences.mjs, written by scripts/build.mjs): the packages are
 * found in ncc's webpack stats, their notices in node_modules, and a package without a licence
 * file fails the build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error: plain ESM helper without type declarations
import { bundledPackages, licenceNotices } from '../../scripts/lib/licences.mjs'

test('finds each package once in webpack stats: concatenated modules, scopes, nested node_modules, Windows paths', () => {
  const stats = {
    modules: [
      { name: './src/entry/steps.ts' },
      {
        name: './src/entry/steps.ts + 40 modules',
        modules: [{ name: './node_modules/@actions/core/lib/core.js' }, { name: './node_modules/zod/v4/core/core.js' }],
      },
      { identifier: 'C:\\work\\node_modules\\@actions\\http-client\\node_modules\\tunnel\\index.js' },
    ],
    chunks: [{ modules: [{ name: './node_modules/jose/dist/webapi/index.js' }, { name: './node_modules/zod/index.js' }] }],
  }
  expect(bundledPackages(stats)).toEqual(['node_modules/@actions/core', 'node_modules/jose', 'node_modules/tunnel', 'node_modules/zod'])
})

describe('licenceNotices', () => {
  let root: string
  const pkg = (dir: string, json: object, files: Record<string, string>) => {
    mkdirSync(join(root, dir), { recursive: true })
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify(json))
    for (const [f, text] of Object.entries(files)) writeFileSync(join(root, dir, f), text)
  }
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'token-lease-licences-'))
    pkg(
      'node_modules/@scope/a',
      { name: '@scope/a', version: '1.2.3', license: 'MIT' },
      { 'LICENSE.md': 'MIT License\r\n\r\nCopyright (c) A\r\n' },
    )
    pkg(
      'node_modules/b',
      { name: 'b', version: '0.1.0', license: 'Apache-2.0' },
      { LICENSE: 'Apache License 2.0', NOTICE: 'B includes C.' },
    )
    pkg('node_modules/no-licence', { name: 'no-licence', version: '9.9.9', license: 'MIT' }, { 'index.js': '' })
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  test('carries each package’s name, version, licence and every licence file, in order, with LF', () => {
    const text = licenceNotices(['node_modules/@scope/a', 'node_modules/b'], root)
    expect(text).toBe(
      [
        'Third-party code bundled in dist/, with its licence notices.',
        '',
        '@scope/a 1.2.3',
        'License: MIT',
        '',
        'MIT License',
        '',
        'Copyright (c) A',
        '',
        '-'.repeat(72),
        '',
        'b 0.1.0',
        'License: Apache-2.0',
        '',
        'Apache License 2.0',
        '',
        'B includes C.',
        '',
      ].join('\n'),
    )
    expect(licenceNotices(['node_modules/@scope/a', 'node_modules/b'], root)).toBe(text)
  })

  test('fails, naming the package, when a bundled package has no licence file', () => {
    expect(() => licenceNotices(['node_modules/b', 'node_modules/no-licence'], root)).toThrow(
      'The bundle includes packages without a licence file, so dist/licenses.txt would lack their notices: no-licence@9.9.9 (node_modules/no-licence)',
    )
  })

  test('every runtime dependency of this project has its notice', () => {
    const text = licenceNotices([
      'node_modules/@actions/core',
      'node_modules/@actions/http-client',
      'node_modules/jose',
      'node_modules/zod',
    ])
    for (const name of ['@actions/core', '@actions/http-client', 'jose', 'zod'])
      expect(text).toMatch(new RegExp(`^${name} \\d+\\.\\d+\\.\\d+$`, 'm'))
    expect(text).toContain('Permission is hereby granted')
  })
})
