/**
 * GitHub's own workflow and action parsers (scripts/lib/workflow-parser.mjs), typed for the tests,
 * and the README's YAML blocks as files those parsers can read.
 */
// @ts-expect-error: plain ESM helper without type declarations
import * as parser from '../../scripts/lib/workflow-parser.mjs'

export type Step = {
  id?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, string>
  env?: Record<string, string>
}
export type Job = { permissions?: Record<string, string>; steps?: Step[]; 'runs-on'?: unknown; needs?: string | string[] }
export type Workflow = { name?: string; on?: unknown; permissions?: Record<string, string> | string; jobs: Record<string, Job> }
export type Action = {
  inputs?: Record<string, { description?: string; default?: string; required?: string }>
  outputs?: Record<string, { description?: string; value?: string }>
  runs: { using: string; steps?: Step[]; main?: string; post?: string }
}
export interface Parsed<T> {
  /** The parser's messages, e.g. "x.yml (Line: 1, Col: 1): Required property is missing: on". */
  errors: string[]
  /** The parsed tree as plain data (expressions kept as written). */
  doc: T
}

export const parseWorkflow = (name: string, text: string): Promise<Parsed<Workflow>> => parser.parseWorkflowFile(name, text)
export const parseAction = (name: string, text: string): Promise<Parsed<Action>> => parser.parseActionFile(name, text)
/** Bundles the parser if needed (about 2.5 s the first time): call it in a beforeAll. */
export const loadParser = (): Promise<unknown> => parser.loadParser()

export interface Block {
  /** The `##` section and the `###` heading the block sits under. */
  section: string
  heading: string
  text: string
  /** The README's line the block starts on, for messages. */
  line: number
}

/** Every ```yaml block of a Markdown text, with where it is. */
export function yamlBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  let section = ''
  let heading = ''
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('## ')) heading = section = lines[i].slice(3)
    else if (lines[i].startsWith('### ')) heading = lines[i].slice(4)
    else if (lines[i] === '```yaml') {
      const end = lines.indexOf('```', i + 1)
      blocks.push({ section, heading, text: lines.slice(i + 1, end).join('\n') + '\n', line: i + 2 })
      i = end
    }
  }
  return blocks
}

/** Whether a block is a composite action (action.yml) rather than a workflow. */
export const isAction = (text: string): boolean => /^runs:/m.test(text)

/** Whether a block is a whole workflow file, not a fragment of steps. */
export const isWholeWorkflow = (text: string): boolean => /^jobs:/m.test(text)

/**
 * A fragment of steps (`- id: …` at any indentation, or under `steps:`) placed in the smallest
 * workflow around it, so the parser reads its steps in their context.
 */
export function asWorkflow(fragment: string): string {
  const lines = fragment.split('\n').filter((l) => l.trim() && !/^\s*steps:\s*$/.test(l))
  const indent = Math.min(...lines.map((l) => l.length - l.trimStart().length))
  const steps = lines.map((l) => `      ${l.slice(indent)}`).join('\n')
  return `on: push\njobs:\n  fragment:\n    runs-on: ubuntu-latest\n    steps:\n${steps}\n`
}

/** The README sections whose every YAML block is a whole workflow file a user can copy. */
export const RECIPE_SECTIONS = ['Pick a recipe', 'Reuse across repositories']

/** A step that uses this action as a user would: `<owner>/token-lease@…`. */
export const isLease = (s: Step): boolean => typeof s.uses === 'string' && /\/token-lease@/.test(s.uses)
