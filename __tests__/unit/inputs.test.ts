/**
 * Input parsing (src/inputs.ts): every input of action.yml becomes a typed Config or an
 * InputError that names the input and what is accepted, and never echoes a secret value.
 */
import { INPUT_NAMES, InputError, isAllowedUrl, parseConfig, readInputs, withoutUserinfo, type RawInputs } from '../../src/inputs.js'

const TOKEN_URL = 'https://as.example/token'
const SECRET = 'Sup3r:secret+with%chars & "quotes"'

/** The error parseConfig throws for `raw` (fails the test when it does not throw). */
function inputError(raw: RawInputs): InputError {
  try {
    parseConfig(raw)
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return err as InputError
  }
  throw new Error('parseConfig did not throw')
}

describe('readInputs', () => {
  test('asks for every input of action.yml once and keeps only the non-empty ones', () => {
    const asked: string[] = []
    const raw = readInputs((name) => {
      asked.push(name)
      return name === 'token-url' ? TOKEN_URL : name === 'scope' ? 'api:read' : ''
    })
    expect(asked).toEqual([...INPUT_NAMES])
    expect(raw).toEqual({ 'token-url': TOKEN_URL, scope: 'api:read' })
  })
})

describe('parseConfig defaults', () => {
  test('a token-url alone gives client credentials with every default', () => {
    expect(parseConfig({ 'token-url': TOKEN_URL })).toEqual({
      provider: 'oauth2',
      tokenUrl: TOKEN_URL,
      issuer: undefined,
      revocationUrl: undefined,
      introspectionUrl: undefined,
      serverUrl: undefined,
      grantType: 'client_credentials',
      clientId: undefined,
      clientSecret: undefined,
      clientAuth: undefined,
      privateKey: undefined,
      privateKeyId: undefined,
      signingAlgorithm: 'RS256',
      username: undefined,
      password: undefined,
      refreshToken: undefined,
      apiToken: undefined,
      rotateApiToken: false,
      subjectToken: undefined,
      subjectTokenType: undefined,
      actorToken: undefined,
      actorTokenType: undefined,
      requestedTokenType: undefined,
      assertion: undefined,
      oidcAudience: undefined,
      scope: undefined,
      audience: undefined,
      resource: [],
      tls: { ca: undefined, cert: undefined, key: undefined, passphrase: undefined },
      requestFormat: undefined,
      extraParams: [],
      minLifetime: undefined,
      maxLifetime: undefined,
      exportEnv: undefined,
      revoke: true,
      revokeFailure: 'warn',
      verifyRevocation: 'auto',
      timeout: 30,
      retries: 3,
      allowInsecureHttp: false,
      summary: true,
    })
  })

  test('the issue-2 inputs are read into their typed fields', () => {
    const config = parseConfig({
      issuer: 'https://as.example/realms/ci',
      'revocation-url': 'https://as.example/revoke',
      'client-id': 'ci-client',
      'client-secret': SECRET,
      'client-auth': 'client_secret_post',
      scope: 'api:read api:write',
      audience: 'https://api.example',
      resource: 'https://api.example/a\n  https://api.example/b  \n\n',
      'request-format': 'json',
      'extra-params': 'tenant=blue\n  prompt = none \nredirect=https://x.example/?a=b',
      revoke: 'false',
      'revoke-failure': 'fail',
      timeout: '5',
      retries: '0',
      summary: 'false',
      'min-lifetime': '15m',
      'export-env': 'API_TOKEN',
    })
    expect(config).toMatchObject({
      issuer: 'https://as.example/realms/ci',
      revocationUrl: 'https://as.example/revoke',
      clientId: 'ci-client',
      clientSecret: SECRET,
      clientAuth: 'client_secret_post',
      scope: 'api:read api:write',
      audience: 'https://api.example',
      resource: ['https://api.example/a', 'https://api.example/b'],
      requestFormat: 'json',
      extraParams: [
        ['tenant', 'blue'],
        ['prompt', 'none'],
        ['redirect', 'https://x.example/?a=b'],
      ],
      revoke: false,
      revokeFailure: 'fail',
      timeout: 5,
      retries: 0,
      summary: false,
      minLifetime: 900,
      exportEnv: 'API_TOKEN',
    })
  })

  test('choices and booleans are case-insensitive and come back in their canonical spelling', () => {
    const config = parseConfig({
      'token-url': TOKEN_URL,
      provider: 'OAuth2',
      'client-auth': 'NONE',
      'request-format': 'Form',
      revoke: 'TRUE',
      'allow-insecure-http': 'False',
    })
    expect(config).toMatchObject({ provider: 'oauth2', clientAuth: 'none', requestFormat: 'form', revoke: true, allowInsecureHttp: false })
  })

  test.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['2h', 7200],
    ['1d', 86400],
    ['10 M', 600],
  ])('min-lifetime %s is %i seconds', (text, seconds) => {
    expect(parseConfig({ 'token-url': TOKEN_URL, 'min-lifetime': text }).minLifetime).toBe(seconds)
  })
})

describe('single-input errors name the input and what it accepts', () => {
  test.each<[RawInputs, string]>([
    [{ provider: 'okta' }, "Invalid input: 'provider' must be one of: oauth2, venafi-tpp, m-trust, signeasy; got 'okta'"],
    [
      { 'grant-type': 'implicit' },
      "Invalid input: 'grant-type' must be one of: client_credentials, password, refresh_token, token-exchange, jwt-bearer; got 'implicit'",
    ],
    [
      { 'client-auth': 'basic' },
      "Invalid input: 'client-auth' must be one of: client_secret_basic, client_secret_post, private_key_jwt, tls_client_auth, github-oidc, none; got 'basic'",
    ],
    [{ 'request-format': 'xml' }, "Invalid input: 'request-format' must be one of: form, json; got 'xml'"],
    [{ 'revoke-failure': 'ignore' }, "Invalid input: 'revoke-failure' must be one of: warn, fail; got 'ignore'"],
    [{ revoke: 'yes' }, "Invalid input: 'revoke' must be true or false; got 'yes'"],
    [{ summary: '1' }, "Invalid input: 'summary' must be true or false; got '1'"],
    [{ timeout: '0' }, "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got '0'"],
    [{ timeout: '601' }, "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got '601'"],
    [{ timeout: '1.5' }, "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got '1.5'"],
    [{ retries: '11' }, "Invalid input: 'retries' must be a whole number of retries from 0 to 10; got '11'"],
    [{ 'min-lifetime': 'soon' }, "Invalid input: 'min-lifetime' must be a duration such as 90s, 15m, 2h or 1d; got 'soon'"],
    [{ 'revocation-url': 'not a url' }, "Invalid input: 'revocation-url' must be an absolute https:// URL; got 'not a url'"],
    [
      { 'revocation-url': 'ftp://as.example/revoke' },
      "Invalid input: 'revocation-url' must be an absolute https:// URL; got 'ftp://as.example/revoke'",
    ],
    [
      { resource: 'https://api.example\n/relative' },
      "Invalid input: 'resource' must be absolute URIs without a fragment, one per line; got '/relative'",
    ],
    [
      { resource: 'https://api.example/#frag' },
      "Invalid input: 'resource' must be absolute URIs without a fragment, one per line; got 'https://api.example/#frag'",
    ],
    [{ 'extra-params': 'a=1\n=2' }, "Invalid input: 'extra-params' line 2 must be key=value"],
    [{ 'extra-params': 'novalue' }, "Invalid input: 'extra-params' line 1 must be key=value"],
    [{ 'export-env': '1TOKEN' }, "Invalid input: 'export-env' must be an environment variable name (letters, digits, _); got '1TOKEN'"],
    [
      { 'export-env': 'NODE_OPTIONS' },
      "Invalid input: 'export-env' must name a credential variable, ending in TOKEN, KEY, SECRET, PASSWORD, PAT (e.g. API_TOKEN), so that no later step or tool reads the token as a setting; got 'NODE_OPTIONS'",
    ],
    [
      { 'export-env': 'github_token' },
      "Invalid input: 'export-env' may not be github_token: GITHUB_*, RUNNER_*, ACTIONS_*, STATE_*, INPUT_*, GIT_*, SSH_*, LD_*, DYLD_*, NODE_*, NPM_CONFIG_*, JAVA*, _JAVA*, JDK_*, PYTHON*, PERL*, RUBY*, SSL_*, CURL_*, REQUESTS_* and *PROXY* are settings of the runner, a tool or a runtime",
    ],
    [
      { issuer: 'https://as.example/realms/ci?tenant=x' },
      "Invalid input: 'issuer' must have no query or fragment (RFC 8414 §2); got 'https://as.example/realms/ci?tenant=x'",
    ],
    [
      { issuer: 'https://as.example/#top' },
      "Invalid input: 'issuer' must have no query or fragment (RFC 8414 §2); got 'https://as.example/#top'",
    ],
    [
      { issuer: 'https://as.example/?' },
      "Invalid input: 'issuer' must have no query or fragment (RFC 8414 §2); got 'https://as.example/?'",
    ],
    [
      { 'client-id': 'ci\n::add-mask::x', username: 'u\u202e' },
      "Invalid inputs:\n- 'client-id' must be one line without control characters; got 'ci ***'\n- 'username' must be one line without control characters; got 'u'",
    ],
    [
      { 'token-url': 'https://as.example/token\n::error::forged' },
      "Invalid input: 'token-url' must be one line without control characters; got 'https://as.example/token ***'",
    ],
    [{ timeout: 'ten\n::error::forged' }, "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got 'ten ***'"],
    [
      { summary: `no ${Buffer.from('an opaque value that is long').toString('base64')}` },
      "Invalid input: 'summary' must be true or false; got 'no ***'",
    ],
  ])('%j', (bad, message) => {
    expect(inputError({ 'token-url': TOKEN_URL, ...bad }).message).toBe(message)
  })

  test('a URL with credentials is refused without echoing them', () => {
    const err = inputError({ 'token-url': 'https://ci-client:hunter2-pass@as.example/token' })
    expect(err.message).toBe("Invalid input: 'token-url' must not carry credentials in the URL; use the credential inputs")
    expect(err.message).not.toContain('hunter2-pass')
  })

  const CREDENTIALS = "'token-url' must not carry credentials in the URL; use the credential inputs"
  test.each<[string, string]>([
    ['ftp://svc:Hunter2Secret@host/token', 'ftp://***@host/token'],
    // Not userinfo to the URL parser (scheme svc:, opaque path), but a user and password to a person.
    ['svc:Hunter2Secret@host/token', '***@host/token'],
    // Does not parse at all (a space in the host): the userinfo is still found and hidden.
    ['https://svc:Hunter2Secret@exa mple/token', 'https://***@exa mple/token'],
    ['https://svc:Hunter2Secret@exa mple/?next=a@b', 'https://***@b'], // any @ left hides up to the last one
  ])('credentials in URL %# are refused whatever the scheme, and only ***@ is echoed', (value, shown) => {
    const err = inputError({ 'token-url': value })
    expect(err.message).toBe(
      ['Invalid inputs:', `- ${CREDENTIALS}`, `- 'token-url' must be an absolute https:// URL; got '${shown}'`].join('\n'),
    )
    expect(err.message).not.toContain('Hunter2Secret')
    expect(err.message).not.toContain('svc')
  })

  test.each<[string, string]>([
    ['https://svc:Hunter2Secret@api.example/#frag', 'https://***@api.example/#frag'],
    ['//svc:Hunter2Secret@api.example/a', '//***@api.example/a'],
  ])('a bad resource with credentials (%#) is echoed with ***@', (value, shown) => {
    const err = inputError({ 'token-url': TOKEN_URL, resource: `https://api.example/ok\n${value}` })
    expect(err.message).toBe(`Invalid input: 'resource' must be absolute URIs without a fragment, one per line; got '${shown}'`)
    expect(err.message).not.toContain('Hunter2Secret')
  })

  test.each<[string, string]>([
    ['ftp://svc:pw@host/token', 'ftp://***@host/token'],
    ['https:/svc:pw@host/token', 'https:/***@host/token'],
    ['https:\\\\svc:pw@host', 'https:\\\\***@host'],
    ['ftp:/\t/svc:pw@host', 'ftp://***@host'],
    ['https://svc:p@ss@host/x?y@z', 'https://***@z'],
    ['https://svc:abc/def@host/token', 'https://***@host/token'], // a password holding '/'
    ['https://svc:ab#cd@host/token', 'https://***@host/token'],
    ['https://svc:ab?cd@host/token', 'https://***@host/token'],
    ['svc:pw@host', '***@host'],
    ['https://host/@user', 'https://***@user'], // over-hiding is safe
    ['idp.example.com/token', 'idp.example.com/token'],
    ['not a url', 'not a url'],
  ])('withoutUserinfo(%j) is %j', (value, shown) => {
    expect(withoutUserinfo(value)).toBe(shown)
  })
})

describe('combinations for provider oauth2', () => {
  test.each<[RawInputs, string]>([
    [{}, "Invalid input: 'token-url' or 'issuer' is required for provider oauth2"],
    [{ 'token-url': TOKEN_URL, 'client-secret': SECRET }, "Invalid input: 'client-id' is required with 'client-secret' or 'private-key'"],
    [
      { 'token-url': TOKEN_URL, 'client-auth': 'client_secret_basic', 'client-id': 'ci' },
      "Invalid input: 'client-secret' is required for client-auth client_secret_basic",
    ],
    [
      { 'token-url': TOKEN_URL, 'client-auth': 'client_secret_post', 'client-secret': SECRET },
      "Invalid input: 'client-id' is required for client-auth client_secret_post",
    ],
    [
      { 'token-url': TOKEN_URL, 'client-auth': 'none', 'client-id': 'ci', 'client-secret': SECRET },
      "Invalid input: 'client-secret' is not used by client-auth none",
    ],
    [
      { 'token-url': TOKEN_URL, 'client-id': 'ci', 'client-secret': SECRET, 'private-key': 'PEM' },
      "Invalid input: 'client-secret' and 'private-key' clash: set 'client-auth' to say which one authenticates the client",
    ],
    [{ 'token-url': TOKEN_URL, 'server-url': 'https://tpp.example' }, "Invalid input: 'server-url' is not used by provider oauth2"],
    [{ 'token-url': TOKEN_URL, username: 'alice' }, "Invalid input: 'username' is not used by grant-type client_credentials"],
    [
      { 'token-url': TOKEN_URL, 'refresh-token': 'rt-value-1234' },
      "Invalid input: 'refresh-token' is not used by grant-type client_credentials",
    ],
    [{ 'token-url': TOKEN_URL, 'rotate-api-token': 'true' }, "Invalid input: 'rotate-api-token' is used by provider m-trust only"],
    [
      { 'token-url': TOKEN_URL, 'grant-type': 'token-exchange', 'subject-token': 'st-value-1234', 'actor-token-type': 'urn:x' },
      "Invalid input: 'actor-token-type' needs 'actor-token'",
    ],
    [
      { 'token-url': TOKEN_URL, 'grant-type': 'token-exchange', 'subject-token': 'st-value-1234', 'actor-token': 'at-value-1234' },
      "Invalid input: 'actor-token-type' is required with 'actor-token' (RFC 8693)",
    ],
    [
      { 'token-url': TOKEN_URL, 'client-certificate': 'CERT' },
      "Invalid input: 'client-certificate' and 'client-key' go together: give both or neither",
    ],
  ])('%#: refused with its message (titles never show the inputs: they hold test secrets)', (raw, message) => {
    expect(inputError(raw).message).toBe(message)
  })

  test('every problem is listed at once, and no secret value is echoed', () => {
    const err = inputError({ 'client-secret': SECRET, password: 'p4ssw0rd-value', timeout: 'forever', revoke: 'maybe' })
    expect(err.message).toBe(
      [
        'Invalid inputs:',
        "- 'revoke' must be true or false; got 'maybe'",
        "- 'timeout' must be a whole number of seconds from 1 to 600; got 'forever'",
      ].join('\n'),
    )
    const combination = inputError({ 'client-secret': SECRET, password: 'p4ssw0rd-value' })
    expect(combination.message).toBe(
      [
        'Invalid inputs:',
        "- 'token-url' or 'issuer' is required for provider oauth2",
        "- 'password' is not used by grant-type client_credentials",
        "- 'client-id' is required with 'client-secret' or 'private-key'",
      ].join('\n'),
    )
    for (const e of [err, combination]) {
      expect(e.message).not.toContain(SECRET)
      expect(e.message).not.toContain('p4ssw0rd-value')
    }
  })
})

describe('plain http', () => {
  test.each(['http://127.0.0.1:8080/token', 'http://localhost/token', 'http://[::1]:9000/token', 'https://as.example/token'])(
    '%s is allowed',
    (url) => {
      expect(isAllowedUrl(url, false)).toBe(true)
      expect(parseConfig({ 'token-url': url }).tokenUrl).toBe(url)
    },
  )

  test('http to any other host is refused, naming the input and the way out', () => {
    expect(isAllowedUrl('http://as.example/token', false)).toBe(false)
    expect(inputError({ 'token-url': 'http://as.example/token', 'revocation-url': 'http://10.0.0.1:8080/revoke' }).message).toBe(
      [
        'Invalid inputs:',
        "- 'token-url' is plain http to a host that is not loopback (as.example): use https, or set allow-insecure-http: true",
        "- 'revocation-url' is plain http to a host that is not loopback (10.0.0.1:8080): use https, or set allow-insecure-http: true",
      ].join('\n'),
    )
    expect(inputError({ issuer: 'http://localhost.evil.example' }).message).toBe(
      "Invalid input: 'issuer' is plain http to a host that is not loopback (localhost.evil.example): use https, or set allow-insecure-http: true",
    )
  })

  test('allow-insecure-http: true lets it through', () => {
    expect(isAllowedUrl('http://as.example/token', true)).toBe(true)
    expect(parseConfig({ 'token-url': 'http://as.example/token', 'allow-insecure-http': 'true' })).toMatchObject({
      tokenUrl: 'http://as.example/token',
      allowInsecureHttp: true,
    })
  })
})
