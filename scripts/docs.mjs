#!/usr/bin/env node
/**
 * The README's inputs and outputs tables, generated from action.yml so the two cannot drift.
 *
 *   node scripts/docs.mjs            rewrites the tables in README.md (npm run docs)
 *   node scripts/docs.mjs --check    exits 1, saying what is stale, when README.md differs (CI)
 *   --readme FILE / --action FILE    other files (tests)
 *
 * Each table sits between markers (`<!-- inputs:start -->` … `<!-- inputs:end -->`, the same
 * for outputs); everything else in the README is left alone. An input's description is written
 * as "What it is. Used by: …. Default: …." and becomes three columns; a description without
 * those parts, or whose Default contradicts action.yml's `default:`, is an error, so every
 * input keeps saying which flow reads it and what applies when it is empty.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'yaml'

export const SECTIONS = ['inputs', 'outputs']
const NOTE = '<!-- generated from action.yml by scripts/docs.mjs: edit action.yml, then run `npm run docs` -->'

export class DocsError extends Error {
  name = 'DocsError'
}

export const markers = (section) => [`<!-- ${section}:start -->`, `<!-- ${section}:end -->`]

/** A table cell: one line, pipes escaped (also inside code spans, as GFM tables require). */
const cell = (text) =>
  String(text)
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim()

/** Splits "What. Used by: X. Default: Y." into its three parts; undefined parts are missing. */
export function splitDescription(description) {
  const text = String(description ?? '')
    .replace(/\s+/g, ' ')
    .trim()
  const m = /^(.*?)\s*Used by: (.*?)\s*Default: (.*)$/.exec(text)
  if (!m) return { what: text, usedBy: undefined, default: undefined }
  const strip = (s) => s.trim().replace(/\.$/, '')
  return { what: m[1].trim(), usedBy: strip(m[2]), default: strip(m[3]) }
}

/** Every problem with action.yml's inputs and outputs as documentation, one line each. */
export function problems(action) {
  const found = []
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    const d = splitDescription(spec?.description)
    if (!d.what) found.push(`input '${name}' has no description`)
    else if (d.usedBy === undefined) found.push(`input '${name}': the description must read "What it is. Used by: …. Default: …."`)
    if (spec?.default !== undefined && d.default !== undefined && !d.default.includes(`\`${spec.default}\``))
      found.push(`input '${name}': the description's Default (${d.default}) does not name action.yml's default \`${spec.default}\``)
  }
  for (const [name, spec] of Object.entries(action.outputs ?? {})) {
    if (!String(spec?.description ?? '').trim()) found.push(`output '${name}' has no description`)
  }
  return found
}

export function inputsTable(action) {
  const rows = Object.entries(action.inputs ?? {}).map(([name, spec]) => {
    const d = splitDescription(spec.description)
    return `| \`${name}\` | ${cell(d.what)} | ${cell(d.usedBy)} | ${cell(d.default)} |`
  })
  return ['| Input | What it is | Used by | Default |', '|---|---|---|---|', ...rows].join('\n')
}

export function outputsTable(action) {
  const rows = Object.entries(action.outputs ?? {}).map(([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`)
  return ['| Output | What it is |', '|---|---|', ...rows].join('\n')
}

const TABLES = { inputs: inputsTable, outputs: outputsTable }

/** The README with each section's table replaced; throws DocsError for a bad action.yml or missing markers. */
export function renderReadme(readme, actionYaml) {
  const action = parse(actionYaml)
  const bad = problems(action)
  if (bad.length) throw new DocsError(`action.yml cannot be documented:\n- ${bad.join('\n- ')}`)
  let out = readme
  for (const section of SECTIONS) {
    const [start, end] = markers(section)
    const from = out.indexOf(start)
    const to = out.indexOf(end)
    if (from < 0 || to < from) throw new DocsError(`README.md has no ${start} … ${end} markers around the ${section} table`)
    out = `${out.slice(0, from + start.length)}\n${NOTE}\n${TABLES[section](action)}\n${out.slice(to)}`
  }
  return out
}

/** The sections whose text differs between two READMEs (for a useful --check message). */
export function staleSections(current, fresh) {
  const body = (text, section) => {
    const [start, end] = markers(section)
    return text.slice(text.indexOf(start), text.indexOf(end))
  }
  return SECTIONS.filter((s) => body(current, s) !== body(fresh, s))
}

function run(argv) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const option = (name, fallback) => {
    const i = argv.indexOf(name)
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback
  }
  const check = argv.includes('--check')
  const readmePath = option('--readme', join(root, 'README.md'))
  const actionPath = option('--action', join(root, 'action.yml'))
  const shown = (p) => relative(process.cwd(), p) || p
  try {
    const current = readFileSync(readmePath, 'utf8')
    const fresh = renderReadme(current, readFileSync(actionPath, 'utf8'))
    if (fresh === current) {
      console.log(`${shown(readmePath)}: the inputs and outputs tables match ${shown(actionPath)}.`)
      return 0
    }
    const stale = staleSections(current, fresh)
    if (check) {
      console.error(
        `${shown(readmePath)} is stale: its ${stale.join(' and ')} table${stale.length > 1 ? 's differ' : ' differs'} from ${shown(actionPath)}. Run \`npm run docs\` and commit README.md.`,
      )
      return 1
    }
    writeFileSync(readmePath, fresh)
    console.log(
      `${shown(readmePath)}: regenerated the ${stale.join(' and ')} table${stale.length > 1 ? 's' : ''} from ${shown(actionPath)}.`,
    )
    return 0
  } catch (err) {
    console.error(err instanceof DocsError ? err.message : `docs: ${err.message}`)
    return 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = run(process.argv.slice(2))
