/**
 * GitHub's own workflow and action parsers (npm `@actions/workflow-parser`, the schema the
 * Actions service validates with), for the tests that check this repository's workflows, the
 * README's recipes and action.yml.
 *
 * The package imports its JSON schemas without import attributes, so plain Node ESM cannot load
 * it: workflow-parser-entry.mjs is bundled with ncc first (about 2.5 s), into
 * node_modules/.cache, keyed by the parser's and ncc's versions, so later runs load it in ~30 ms.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version

let loading
/** The bundled parser module: parseWorkflow, parseAction, NoOperationTraceWriter, convert*Template. */
export function loadParser() {
  loading ??= (async () => {
    const cache = join(root, 'node_modules', '.cache', 'token-lease')
    const file = join(cache, `workflow-parser-${version('@actions/workflow-parser')}-ncc-${version('@vercel/ncc')}.mjs`)
    if (!existsSync(file)) {
      const ncc = createRequire(join(root, 'package.json'))('@vercel/ncc')
      const { code } = await ncc(join(root, 'scripts', 'lib', 'workflow-parser-entry.mjs'), { quiet: true, cache: false })
      mkdirSync(cache, { recursive: true })
      // Written aside and renamed: a concurrent test run never imports half a file.
      const part = `${file}.${process.pid}.part`
      writeFileSync(part, code)
      renameSync(part, file)
    }
    return import(pathToFileURL(file).href)
  })()
  return loading
}

/**
 * The parsed token tree as plain data: mappings become objects, sequences arrays, literals their
 * values. An expression stays the text it was written as (`https://x/${{ vars.T }}/token`), so a
 * `run:` holding one is still visible as such.
 */
export function plain(token) {
  if (token === undefined || token === null) return undefined
  switch (token.templateTokenType) {
    case 1: // sequence
      return [...token].map(plain)
    case 2: // mapping
      return Object.fromEntries([...token].map(({ key, value }) => [String(key), plain(value)]))
    case 3: // basic expression
    case 4: // insert expression
      return token.source ?? token.toString()
    default:
      return token.value ?? null
  }
}

const parse = async (kind, name, content) => {
  const parser = await loadParser()
  const fn = kind === 'workflow' ? parser.parseWorkflow : parser.parseAction
  const result = fn({ name, content }, new parser.NoOperationTraceWriter())
  return { errors: result.context.errors.getErrors().map((e) => e.message), doc: plain(result.value), result }
}

/** Parses a workflow file: { errors: the parser's messages, doc: plain data, result: the parser's own }. */
export const parseWorkflowFile = (name, content) => parse('workflow', name, content)

/** Parses an action.yml (node or composite), likewise. */
export const parseActionFile = (name, content) => parse('action', name, content)
