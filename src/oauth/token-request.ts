/** Encodes and sends a token-endpoint request in the chosen format (form, or JSON for Auth0-style APIs). */
import type { HttpRequest } from '../http.js'

export type Params = Record<string, string | string[] | undefined>

/**
 * `key=value` pairs (from 'extra-params') as parameters: a key given more than once keeps every
 * value, in order, as a list — sent as repeated form parameters, or a JSON array.
 */
export function paramsFromPairs(pairs: [string, string][]): Params {
  // No prototype: a key such as __proto__ is a parameter like any other.
  const params: Record<string, string | string[]> = Object.create(null)
  for (const [key, value] of pairs) {
    const seen = Object.hasOwn(params, key) ? params[key] : undefined
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]
  }
  return params
}

export function tokenRequest(
  url: string,
  params: Params,
  format: 'form' | 'json',
  headers: Record<string, string> = {},
  purpose = 'Token request',
): HttpRequest {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '') as [string, string | string[]][]
  if (format === 'json') {
    return {
      method: 'POST',
      url,
      purpose,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(entries)),
    }
  }
  const form = new URLSearchParams()
  for (const [k, v] of entries) for (const item of Array.isArray(v) ? v : [v]) form.append(k, item)
  return {
    method: 'POST',
    url,
    purpose,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  }
}
