/**
 * Which names `export-env` may give the token to (src/inputs.ts checks the input with it).
 *
 * An allowlist: the token may go only to a variable named as a credential (ending
 * in TOKEN, KEY, SECRET, PASSWORD or PAT), which tools read as a credential, never as a setting.
 * Of those, the prefixes that belong to the runner, git, ssh, the loader or a runtime are refused
 * too (`GITHUB_TOKEN`, `ACTIONS_RUNTIME_TOKEN`, `STATE_…`, `GIT_…`, anything with PROXY); NODE_AUTH_TOKEN,
 * which setup-node's .npmrc reads, is not a Node setting and is allowed.
 */
import { clean } from './secrets.js'

export const EXPORT_ENV_SUFFIXES = ['TOKEN', 'KEY', 'SECRET', 'PASSWORD', 'PAT'] as const
const RESERVED_PREFIXES = [
  'GITHUB_',
  'RUNNER_',
  'ACTIONS_',
  'STATE_',
  'INPUT_',
  'GIT_',
  'SSH_',
  'LD_',
  'DYLD_',
  'NODE_',
  'NPM_CONFIG_',
  'JAVA',
  '_JAVA',
  'JDK_',
  'PYTHON',
  'PERL',
  'RUBY',
  'SSL_',
  'CURL_',
  'REQUESTS_',
] as const

/** Why `export-env: name` is refused (after "'export-env' "), or undefined when it may be used. */
export function exportEnvRefusal(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    return `must be an environment variable name (letters, digits, _); got '${clean(name, undefined, 100)}'`
  const upper = name.toUpperCase()
  if (!EXPORT_ENV_SUFFIXES.some((s) => upper.endsWith(s)))
    return `must name a credential variable, ending in ${EXPORT_ENV_SUFFIXES.join(', ')} (e.g. API_TOKEN), so that no later step or tool reads the token as a setting; got '${name}'` // one line: checked above
  if (upper !== 'NODE_AUTH_TOKEN' && (RESERVED_PREFIXES.some((p) => upper.startsWith(p)) || upper.includes('PROXY')))
    return `may not be ${name}: ${RESERVED_PREFIXES.map((x) => `${x}*`).join(', ')} and *PROXY* are settings of the runner, a tool or a runtime`
  return undefined
}
