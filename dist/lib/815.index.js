export const id = 815;
export const ids = [815,920];
export const modules = {

/***/ 920:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  OAuth2Provider: () => (/* binding */ OAuth2Provider),
  create: () => (/* binding */ create)
});

// EXTERNAL MODULE: ./src/inputs.ts
var inputs = __webpack_require__(422);
// EXTERNAL MODULE: ./src/lease.ts
var src_lease = __webpack_require__(121);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
;// CONCATENATED MODULE: ./src/oauth/assertion.ts
/**
 * private_key_jwt client assertions (RFC 7523 §2.2 and §3, OIDC Core §9): iss = sub = client id,
 * aud = the token endpoint, a unique jti, iat, and exp five minutes ahead. A new one is signed
 * for every request (servers may reject a replayed jti). jose is loaded only for this flow.
 */


/** RFC 7523 §3 asks for a short life; five minutes is what Entra ID, Okta and Keycloak accept. */
const ASSERTION_LIFETIME_SECONDS = 300;
/** The key each algorithm needs, as Node names key types (and the EC curve). */
const KEY_FOR = {
    RS256: { types: ['rsa'], text: 'an RSA key (2048 bits or more)' },
    PS256: { types: ['rsa', 'rsa-pss'], text: 'an RSA key (2048 bits or more)' },
    ES256: { types: ['ec'], curve: 'prime256v1', text: 'an EC P-256 key' },
    EdDSA: { types: ['ed25519', 'ed448'], text: 'an Ed25519 key' },
};
async function signClientAssertion(config, audience, now = Math.floor(Date.now() / 1000)) {
    const alg = config.signingAlgorithm;
    const key = readKey(config.privateKey, alg);
    const { SignJWT } = await __webpack_require__.e(/* import() */ 734).then(__webpack_require__.bind(__webpack_require__, 734));
    try {
        return await new SignJWT({})
            .setProtectedHeader({ alg, typ: 'JWT', ...(config.privateKeyId && { kid: config.privateKeyId }) })
            .setIssuer(config.clientId)
            .setSubject(config.clientId)
            .setAudience(audience)
            .setJti((0,external_node_crypto_.randomUUID)())
            .setIssuedAt(now)
            .setExpirationTime(now + ASSERTION_LIFETIME_SECONDS)
            .sign(key);
    }
    catch {
        // jose's reasons (e.g. a short RSA modulus) name no key material, but say it in our words.
        throw new inputs/* InputError */.dz(`'private-key' cannot sign with 'signing-algorithm' ${alg}: it needs ${KEY_FOR[alg].text}`);
    }
}
const KEY_NAMES = {
    rsa: 'an RSA key',
    'rsa-pss': 'an RSA-PSS key',
    ed25519: 'an Ed25519 key',
    ed448: 'an Ed448 key',
};
/** Parses the PEM and checks it fits the algorithm; errors describe the key, never show it. */
function readKey(pem, alg) {
    let key;
    try {
        key = (0,external_node_crypto_.createPrivateKey)({ key: pem, format: 'pem' });
    }
    catch {
        // Node's error code for a missing passphrase differs between OpenSSL versions; the PEM says it.
        const encrypted = /BEGIN ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem);
        throw new inputs/* InputError */.dz(encrypted
            ? `'private-key' is encrypted: give the PEM private key unencrypted (store it as a secret)`
            : `'private-key' could not be read: give a PEM private key ("BEGIN PRIVATE KEY", or PKCS#1 "BEGIN RSA PRIVATE KEY" / SEC1 "BEGIN EC PRIVATE KEY"), with its line breaks`);
    }
    const need = KEY_FOR[alg];
    const type = key.asymmetricKeyType ?? 'unknown';
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (!need.types.includes(type) || (need.curve && curve !== need.curve)) {
        const given = type === 'ec' ? `an EC ${curve ?? ''} key`.replace('  ', ' ') : (KEY_NAMES[type] ?? `a ${type} key`);
        throw new inputs/* InputError */.dz(`'private-key' is ${given}, but 'signing-algorithm' ${alg} needs ${need.text}: change one of them`);
    }
    return key;
}

;// CONCATENATED MODULE: ./src/oauth/client-auth.ts

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/**
 * The method to use: the one asked for, else the one the given credentials imply — preferring
 * a method the server lists (RFC 8414 `token_endpoint_auth_methods_supported`, when discovered).
 */
function chooseClientAuth(config, supported) {
    if (config.clientAuth)
        return config.clientAuth;
    if (config.privateKey)
        return 'private_key_jwt';
    if (config.clientSecret) {
        const basicListed = !supported || supported.includes('client_secret_basic');
        return basicListed || !supported.includes('client_secret_post') ? 'client_secret_basic' : 'client_secret_post';
    }
    if (config.tls.cert && config.clientId)
        return 'tls_client_auth';
    // Keyless: a client id with no credential cannot do client credentials as a public client; a
    // server that takes signed client assertions can take the job's OIDC token as one instead
    // (Entra ID's federated credential, Keycloak's federated client authentication).
    if (config.clientId && config.grantType === 'client_credentials' && supported?.includes('private_key_jwt'))
        return 'github-oidc';
    return 'none';
}
/** RFC 6749 §2.3.1 / Appendix B: each part form-encoded before base64. */
function basicCredential(id, secret) {
    const enc = (v) => new URLSearchParams({ v }).toString().slice(2);
    return Buffer.from(`${enc(id)}:${enc(secret)}`, 'utf8').toString('base64');
}
/**
 * Headers and parameters that authenticate the client. `audience` is the endpoint a signed
 * assertion is for; each call signs a new one (assertions are single-use: unique jti).
 */
async function authenticate(method, config, audience, deps) {
    const id = config.clientId;
    const withId = id ? { client_id: id } : {};
    switch (method) {
        case 'client_secret_basic': {
            const credential = basicCredential(id, config.clientSecret);
            deps.secrets.register(credential);
            deps.secrets.register(`Basic ${credential}`);
            return { headers: { authorization: `Basic ${credential}` }, params: {} };
        }
        case 'client_secret_post':
            return { headers: {}, params: { client_id: id, client_secret: config.clientSecret } };
        case 'private_key_jwt': {
            const assertion = await signClientAssertion(config, audience);
            deps.secrets.add(assertion);
            return { headers: {}, params: { ...withId, client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion } };
        }
        case 'github-oidc': {
            const assertion = await deps.githubOidcToken(config.oidcAudience);
            return { headers: {}, params: { ...withId, client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion } };
        }
        case 'tls_client_auth':
        case 'none':
            // RFC 8705 §2: the certificate authenticates on the TLS connection; client_id still goes in the body.
            return { headers: {}, params: withId };
    }
}

// EXTERNAL MODULE: ./src/http.ts + 2 modules
var http = __webpack_require__(87);
// EXTERNAL MODULE: ./src/oauth/response.ts
var response = __webpack_require__(612);
;// CONCATENATED MODULE: ./src/oauth/discovery.ts
/**
 * Endpoint discovery from an issuer: RFC 8414 first (well-known inserted before the issuer's
 * path), then OpenID Connect Discovery (appended). The document's issuer must match.
 */


function discoveryUrls(issuer) {
    const u = new URL(issuer);
    const path = u.pathname.replace(/\/$/, '');
    return [`${u.origin}/.well-known/oauth-authorization-server${path}`, `${u.origin}${path}/.well-known/openid-configuration`];
}
const sameIssuer = (a, b) => a.replace(/\/$/, '') === b.replace(/\/$/, '');
async function discover(issuer, deps) {
    const statuses = [];
    for (const url of discoveryUrls(issuer)) {
        const req = { method: 'GET', url, purpose: 'Discovery' };
        const res = await deps.send(req);
        if (res.status !== 200) {
            statuses.push(`${new URL(url).pathname} → HTTP ${res.status}`);
            continue;
        }
        const doc = (0,response/* readJson */.Vh)(req, res);
        if (typeof doc.issuer !== 'string' || !sameIssuer(doc.issuer, issuer))
            throw new http/* RequestError */.GI(`Discovery: the metadata at ${url} names issuer '${String(doc.issuer)}', not '${issuer}'. Hint: set 'issuer' exactly as the server names itself.`);
        return doc;
    }
    throw new http/* RequestError */.GI(`Discovery failed for issuer ${issuer} (${statuses.join(', ')}). Hint: check 'issuer', or give 'token-url' (and 'revocation-url') instead.`);
}

;// CONCATENATED MODULE: ./src/oauth/token-request.ts
function tokenRequest(url, params, format, headers = {}, purpose = 'Token request') {
    const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
    if (format === 'json') {
        return {
            method: 'POST',
            url,
            purpose,
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(Object.fromEntries(entries)),
        };
    }
    const form = new URLSearchParams();
    for (const [k, v] of entries)
        for (const item of Array.isArray(v) ? v : [v])
            form.append(k, item);
    return {
        method: 'POST',
        url,
        purpose,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
    };
}

;// CONCATENATED MODULE: ./src/providers/oauth2.ts
/**
 * Generic OAuth 2.0: every grant of RFC 6749 / 8693 / 7523 at a token endpoint (given or
 * discovered), and RFC 7009 revocation with the same client authentication.
 */







const GRANT_URIS = {
    client_credentials: 'client_credentials',
    password: 'password',
    refresh_token: 'refresh_token',
    'token-exchange': 'urn:ietf:params:oauth:grant-type:token-exchange',
    'jwt-bearer': 'urn:ietf:params:oauth:grant-type:jwt-bearer',
};
function create(config, deps) {
    return new OAuth2Provider(config, deps);
}
class OAuth2Provider {
    config;
    deps;
    constructor(config, deps) {
        this.config = config;
        this.deps = deps;
    }
    async acquire() {
        const { config, deps } = this;
        const metadata = await this.metadata();
        const tokenEndpoint = config.tokenUrl ?? metadata?.token_endpoint;
        if (!tokenEndpoint)
            throw new http/* RequestError */.GI(`Discovery: the metadata of ${config.issuer} has no token_endpoint. Hint: give 'token-url'.`);
        const revocationEndpoint = config.revocationUrl ?? metadata?.revocation_endpoint;
        const clientAuth = chooseClientAuth(config, metadata?.token_endpoint_auth_methods_supported);
        if (!config.clientAuth && metadata?.token_endpoint_auth_methods_supported)
            deps.log.info(`Client authentication: ${clientAuth} (not given; the server lists ${metadata.token_endpoint_auth_methods_supported.join(', ')})`);
        if (config.grantType === 'password')
            deps.log.warning('grant-type password sends a user password to the token endpoint; RFC 9700 §2.4 says it must not be used. Prefer client credentials, a JWT or token exchange.');
        const auth = await authenticate(clientAuth, config, tokenEndpoint, deps);
        const params = {
            grant_type: GRANT_URIS[config.grantType],
            ...(await this.grantParams()),
            scope: config.scope,
            audience: config.audience,
            resource: config.resource.length ? config.resource : undefined,
            ...Object.fromEntries(config.extraParams),
            ...auth.params,
        };
        const req = tokenRequest(tokenEndpoint, params, config.requestFormat ?? 'form', auth.headers);
        const res = await deps.send(req);
        if (res.status !== 200)
            throw (0,response/* failure */.V2)(req, res, deps.secrets);
        const token = (0,response/* readToken */.AI)(req, res, deps.secrets);
        const now = deps.now();
        const outputs = {};
        let refreshToken = token.refresh_token;
        if (config.grantType === 'refresh_token') {
            // The workflow's own refresh token is not ours to revoke; a rotated one must be stored by the workflow.
            if (refreshToken && refreshToken !== config.refreshToken)
                outputs['refresh-token'] = refreshToken;
            refreshToken = undefined;
        }
        const lease = {
            provider: config.provider,
            token: token.access_token,
            tokenType: token.token_type ?? 'Bearer',
            issuedAt: now,
            expiresAt: token.expires_in !== undefined ? now + token.expires_in : (0,src_lease/* jwtExpiry */.lo)(token.access_token),
            scope: token.scope ?? config.scope,
            identity: config.clientId,
            tokenEndpoint,
            revocation: !revocationEndpoint ? 'unsupported' : config.revoke ? 'scheduled' : 'disabled',
            revocationEndpoint,
            clientAuth,
            refreshToken,
        };
        return { lease, outputs };
    }
    async revoke(lease) {
        const { config, deps } = this;
        const endpoint = lease.revocationEndpoint;
        let result = 'revoked';
        const tokens = [[lease.token, 'access_token']];
        if (lease.refreshToken)
            tokens.push([lease.refreshToken, 'refresh_token']);
        for (const [token, hint] of tokens) {
            // A fresh assertion per request: a signed client assertion is single-use. Its audience stays
            // the token endpoint, which every server accepts at revocation too (RFC 7523 §3).
            const auth = await authenticate(lease.clientAuth ?? chooseClientAuth(config), config, lease.tokenEndpoint, deps);
            const req = tokenRequest(endpoint, { token, token_type_hint: hint, ...auth.params }, 'form', auth.headers, 'Revocation');
            const res = await deps.send(req);
            if (res.status === 200)
                continue;
            const error = (0,response/* failure */.V2)(req, res, deps.secrets);
            // RFC 7009 answers 200 for an unknown token; some servers say 404 or invalid_token instead.
            if (res.status === 404 || error.code === 'invalid_token')
                result = 'already invalid';
            else
                throw error;
        }
        return result;
    }
    async metadata() {
        const { config } = this;
        // Discovery costs a round trip: only when an endpoint or the auth method is still unknown.
        if (!config.issuer)
            return undefined;
        if (config.tokenUrl && config.revocationUrl && config.clientAuth)
            return undefined;
        return discover(config.issuer, this.deps);
    }
    async grantParams() {
        const { config, deps } = this;
        switch (config.grantType) {
            case 'client_credentials':
                return {};
            case 'password':
                return { username: config.username, password: config.password };
            case 'refresh_token':
                return { refresh_token: config.refreshToken };
            case 'jwt-bearer':
                return { assertion: config.assertion ?? (await deps.githubOidcToken(config.oidcAudience)) };
            case 'token-exchange': {
                const subject = config.subjectToken ?? (await deps.githubOidcToken(config.oidcAudience));
                return {
                    subject_token: subject,
                    subject_token_type: config.subjectTokenType ?? (config.subjectToken ? inputs/* ACCESS_TOKEN_TYPE */.EK : inputs/* JWT_TOKEN_TYPE */.B2),
                    actor_token: config.actorToken,
                    actor_token_type: config.actorTokenType,
                    requested_token_type: config.requestedTokenType,
                };
            }
        }
    }
}


/***/ }),

/***/ 815:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   create: () => (/* binding */ create),
/* harmony export */   signeasyConfig: () => (/* binding */ signeasyConfig)
/* harmony export */ });
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(422);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(87);
/* harmony import */ var _oauth2_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(920);
/**
 * Signeasy (PROTOCOLS.md §4): an Auth0-style client-credentials request with a JSON body
 * {client_id, client_secret, audience, grant_type} at auth.signeasy.com. Every default can be
 * overridden (a sandbox, a proxy): token-url, audience, request-format, client-auth
 * (client_secret_basic). The access token is a 30-day JWT and Auth0 cannot revoke access
 * tokens, so the lease says 'unsupported': post makes no request, and main warns that the token
 * stays valid until its expires-at.
 */



/** The Config the generic OAuth 2.0 provider needs to speak Signeasy's token request. */
function signeasyConfig(config) {
    return {
        ...config,
        tokenUrl: config.tokenUrl ?? _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .SIGNEASY_TOKEN_URL */ .uV,
        // Nothing to discover and nothing to revoke (inputs.ts refuses issuer and revocation-url).
        issuer: undefined,
        revocationUrl: undefined,
        grantType: 'client_credentials',
        audience: config.audience ?? _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .SIGNEASY_AUDIENCE */ .jD,
        requestFormat: config.requestFormat ?? 'json',
        // The documented request carries the client's credentials in the body.
        clientAuth: config.clientAuth ?? 'client_secret_post',
    };
}
function create(config, deps) {
    const oauth2 = new _oauth2_js__WEBPACK_IMPORTED_MODULE_2__.OAuth2Provider(signeasyConfig(config), deps);
    return {
        acquire: () => oauth2.acquire(),
        // Never called: post makes no request for a lease whose revocation is 'unsupported'.
        revoke: () => Promise.reject(new _http_js__WEBPACK_IMPORTED_MODULE_1__/* .RequestError */ .GI('Signeasy access tokens cannot be revoked: the token stays valid until it expires.')),
    };
}


/***/ })

};
