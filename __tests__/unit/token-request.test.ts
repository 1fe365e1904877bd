/** Encoding a token-endpoint request (src/oauth/token-request.ts): form (RFC 6749 Appendix B) or JSON. */
import { paramsFromPairs, tokenRequest } from '../../src/oauth/token-request.js'

const URL_ = 'https://as.example/token'

test('form: one parameter per value, form-encoded, empty and missing values left out', () => {
  const req = tokenRequest(
    URL_,
    {
      grant_type: 'client_credentials',
      scope: 'api:read api:write',
      audience: undefined,
      empty: '',
      resource: ['https://api.example/a', 'https://api.example/b?x=1&y=2'],
      weird: 'a+b=c&d%e "f"',
    },
    'form',
  )
  expect(req).toEqual({
    method: 'POST',
    url: URL_,
    purpose: 'Token request',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body:
      'grant_type=client_credentials&scope=api%3Aread+api%3Awrite' +
      '&resource=https%3A%2F%2Fapi.example%2Fa&resource=https%3A%2F%2Fapi.example%2Fb%3Fx%3D1%26y%3D2' +
      '&weird=a%2Bb%3Dc%26d%25e+%22f%22',
  })
})

test('json: one object, lists kept as arrays, with the given headers and purpose', () => {
  const req = tokenRequest(
    URL_,
    {
      grant_type: 'client_credentials',
      client_id: 'ci',
      scope: undefined,
      audience: 'https://api.example/',
      resource: ['https://a.example', 'https://b.example'],
    },
    'json',
    { authorization: 'Basic Y2k6cw==' },
    'Signeasy token request',
  )
  expect(req).toEqual({
    method: 'POST',
    url: URL_,
    purpose: 'Signeasy token request',
    headers: { authorization: 'Basic Y2k6cw==', 'content-type': 'application/json' },
    body: '{"grant_type":"client_credentials","client_id":"ci","audience":"https://api.example/","resource":["https://a.example","https://b.example"]}',
  })
})

test('the given headers are kept next to the form content type', () => {
  const req = tokenRequest(
    URL_,
    { token: 'abcd', token_type_hint: 'access_token' },
    'form',
    { authorization: 'Basic Y2k6cw==' },
    'Revocation',
  )
  expect(req.headers).toEqual({ authorization: 'Basic Y2k6cw==', 'content-type': 'application/x-www-form-urlencoded' })
  expect(req.body).toBe('token=abcd&token_type_hint=access_token')
  expect(req.purpose).toBe('Revocation')
})

describe('paramsFromPairs (extra-params)', () => {
  const pairs: [string, string][] = [
    ['audience', 'https://a.example'],
    ['tenant', 'blue'],
    ['audience', 'https://b.example'],
    ['audience', 'https://c.example'],
  ]

  test('a key given once stays a string; given more often, a list of every value in order', () => {
    expect({ ...paramsFromPairs(pairs) }).toEqual({
      audience: ['https://a.example', 'https://b.example', 'https://c.example'],
      tenant: 'blue',
    })
    expect({ ...paramsFromPairs([]) }).toEqual({})
  })

  test('repeated keys are repeated form parameters, and a JSON array', () => {
    expect(tokenRequest(URL_, { grant_type: 'client_credentials', ...paramsFromPairs(pairs) }, 'form').body).toBe(
      'grant_type=client_credentials&audience=https%3A%2F%2Fa.example&audience=https%3A%2F%2Fb.example' +
        '&audience=https%3A%2F%2Fc.example&tenant=blue',
    )
    expect(tokenRequest(URL_, { grant_type: 'client_credentials', ...paramsFromPairs(pairs) }, 'json').body).toBe(
      '{"grant_type":"client_credentials","audience":["https://a.example","https://b.example","https://c.example"],"tenant":"blue"}',
    )
  })

  test('__proto__ and constructor are parameters like any other, not object internals', () => {
    const params = paramsFromPairs([
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['constructor', 'z'],
    ])
    expect(Object.keys(params)).toEqual(['__proto__', 'constructor'])
    expect(tokenRequest(URL_, { ...params }, 'form').body).toBe('__proto__=x&constructor=y&constructor=z')
    expect(tokenRequest(URL_, { ...params }, 'json').body).toBe('{"__proto__":"x","constructor":["y","z"]}')
  })
})
