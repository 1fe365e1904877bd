/** Encodes and sends a token-endpoint request in the chosen format (form, or JSON for Auth0-style APIs). */
import type { HttpRequest } from '../http.js'

export type Params = Record<string, string | string[] | undefined>

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
