/**
 * How the granted scope is shown — in the log, the summary and the `scope` output alike. It is
 * server text: a scope that echoes a secret (in any encoding Secrets knows) is withheld from all
 * three, and a scope the server did not state is the one asked for, labelled as not confirmed.
 */
import type { Lease } from './lease.js'
import { clean, type Secrets } from './secrets.js'

export interface ScopeView {
  /** The `scope` output: the scope, or '' when there is none or it is withheld. */
  output: string
  /** What the log and the summary say. */
  text: string
}

export const WITHHELD_SCOPE = 'withheld: the scope the server sent echoes a secret'

export function scopeView(lease: Pick<Lease, 'scope' | 'scopeConfirmed'>, secrets: Secrets): ScopeView {
  const scope = lease.scope
  if (!scope) return { output: '', text: '(not stated)' }
  if (secrets.echoes(scope)) return { output: '', text: WITHHELD_SCOPE }
  const shown = clean(scope, secrets, 300)
  if (lease.scopeConfirmed === false)
    return { output: scope, text: `${shown} (requested; the server did not state a scope, so it is not confirmed)` }
  return { output: scope, text: shown }
}
