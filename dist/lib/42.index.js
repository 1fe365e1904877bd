export const id = 42;
export const ids = [42];
export const modules = {

/***/ 42:
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
// EXTERNAL MODULE: ./src/oauth/assertion.ts
var oauth_assertion = __webpack_require__(959);
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
    // The job's OIDC token is never sent unasked: github-oidc only when client-auth says so.
    return 'none';
}
/**
 * RFC 6749 §2.3.1 / Appendix B: each part form-encoded before base64. `unencoded` sends them as
 * they are, for servers that do not form-decode Basic credentials (the form a lease records).
 */
function basicCredential(id, secret, unencoded = false) {
    const enc = (v) => (unencoded ? v : new URLSearchParams({ v }).toString().slice(2));
    return Buffer.from(`${enc(id)}:${enc(secret)}`, 'utf8').toString('base64');
}
/**
 * Headers and parameters that authenticate the client. `audience` is the endpoint a signed
 * assertion is for; each call signs a new one (assertions are single-use: unique jti).
 */
async function authenticate(method, config, audience, deps, options = {}) {
    const id = config.clientId;
    const withId = id ? { client_id: id } : {};
    switch (method) {
        case 'client_secret_basic': {
            const credential = basicCredential(id, config.clientSecret, options.unencoded);
            deps.secrets.register(credential);
            deps.secrets.register(`Basic ${credential}`);
            return { headers: { authorization: `Basic ${credential}` }, params: {} };
        }
        case 'client_secret_post':
            return { headers: {}, params: { client_id: id, client_secret: config.clientSecret } };
        case 'private_key_jwt': {
            const assertion = await (0,oauth_assertion/* signClientAssertion */.T3)(config, audience);
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
// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(194);
;// CONCATENATED MODULE: ./src/oauth/discovery.ts
/**
 * Endpoint discovery from an issuer: RFC 8414 first (well-known inserted before the issuer's
 * path), then OpenID Connect Discovery (appended). The document's issuer must match. A URL that
 * answers 200 with something else (an app that serves HTML on every path, or another issuer's
 * document) does not stop the search: the next URL is tried, and only when both fail is the
 * error thrown, naming what each answered.
 */


function discoveryUrls(issuer) {
    const u = new URL(issuer);
    const path = u.pathname.replace(/\/$/, '');
    return [`${u.origin}/.well-known/oauth-authorization-server${path}`, `${u.origin}${path}/.well-known/openid-configuration`];
}
const sameIssuer = (a, b) => a.replace(/\/$/, '') === b.replace(/\/$/, '');
/** A JSON object, or undefined for anything else (HTML, an array, a string…). */
function jsonObject(body) {
    try {
        const value = JSON.parse(body);
        return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    }
    catch {
        return undefined;
    }
}
async function discover(issuer, deps) {
    const answers = [];
    let otherIssuer = false;
    for (const url of discoveryUrls(issuer)) {
        const req = { method: 'GET', url, purpose: 'Discovery' };
        const res = await deps.send(req);
        const answered = (what) => answers.push(`${new URL(url).pathname} → ${what}`);
        if (res.status !== 200) {
            answered(`HTTP ${res.status}`);
            continue;
        }
        const doc = jsonObject(res.body);
        if (!doc) {
            const type = (0,secrets/* clean */.uH)(String(res.headers['content-type'] ?? 'none').split(';')[0], deps.secrets, 60) || 'none';
            answered(`not JSON (content-type ${type})`);
            continue;
        }
        if (typeof doc.issuer !== 'string' || !sameIssuer(doc.issuer, issuer)) {
            // An issuer is public (it is in every token); cleaned all the same, as the server chose it.
            otherIssuer = true;
            answered(typeof doc.issuer === 'string' ? `issuer '${(0,secrets/* clean */.uH)(doc.issuer, deps.secrets, 200)}'` : 'no issuer');
            continue;
        }
        return doc;
    }
    const hint = otherIssuer
        ? "set 'issuer' exactly as the server names itself (RFC 8414 §3.3), or give 'token-url' (and 'revocation-url') instead"
        : "check 'issuer', or give 'token-url' (and 'revocation-url') instead";
    throw new http/* RequestError */.GI(`Discovery failed for issuer ${issuer} (${answers.join(', ')}). Hint: ${hint}.`);
}

// EXTERNAL MODULE: ./src/oauth/response.ts
var response = __webpack_require__(612);
;// CONCATENATED MODULE: ./src/oauth/token-request.ts
/**
 * `key=value` pairs (from 'extra-params') as parameters: a key given more than once keeps every
 * value, in order, as a list — sent as repeated form parameters, or a JSON array.
 */
function paramsFromPairs(pairs) {
    // No prototype: a key such as __proto__ is a parameter like any other.
    const params = Object.create(null);
    for (const [key, value] of pairs) {
        const seen = Object.hasOwn(params, key) ? params[key] : undefined;
        params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    return params;
}
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
        const tokenEndpoint = config.tokenUrl ?? this.discovered(metadata?.token_endpoint, 'token_endpoint');
        if (!tokenEndpoint)
            throw new http/* RequestError */.GI(`Discovery: the metadata of ${config.issuer} has no token_endpoint. Hint: give 'token-url'.`);
        const revocationEndpoint = config.revocationUrl ?? this.discovered(metadata?.revocation_endpoint, 'revocation_endpoint');
        // Server metadata is server text: only a list of plain strings is used, and printed cleaned.
        const listed = metadata?.token_endpoint_auth_methods_supported;
        const supported = Array.isArray(listed) ? listed.filter((m) => typeof m === 'string') : undefined;
        const clientAuth = chooseClientAuth(config, supported);
        if (!config.clientAuth && supported)
            deps.log.info(`Client authentication: ${clientAuth} (not given; the server lists ${(0,secrets/* clean */.uH)(supported.join(', '), deps.secrets, 300)})`);
        if (config.grantType === 'password')
            deps.log.warning('grant-type password sends a user password to the token endpoint; RFC 9700 §2.4 says it must not be used. Prefer client credentials, a JWT or token exchange.');
        const params = {
            grant_type: GRANT_URIS[config.grantType],
            ...(await this.grantParams()),
            scope: config.scope,
            audience: config.audience,
            resource: config.resource.length ? config.resource : undefined,
            ...paramsFromPairs(config.extraParams),
        };
        const build = async () => {
            const auth = await authenticate(clientAuth, config, tokenEndpoint, deps);
            return tokenRequest(tokenEndpoint, { ...params, ...auth.params }, config.requestFormat ?? 'form', auth.headers);
        };
        // A retry of a private_key_jwt request carries a new assertion (a reused jti is refused).
        const req = { ...(await build()), ...(clientAuth === 'private_key_jwt' && { renew: build }) };
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
    async revoke(lease, options = {}) {
        const { config, deps } = this;
        const endpoint = lease.revocationEndpoint;
        const method = lease.clientAuth ?? chooseClientAuth(config);
        // The refresh token first: revoking it SHOULD end its access tokens too (RFC 7009 §2.1).
        // Both are tried even when one is refused, so one refusal never leaves the other alive.
        const tokens = [];
        if (lease.refreshToken)
            tokens.push([lease.refreshToken, 'refresh_token']);
        if (!options.accessTokenExpired)
            tokens.push([lease.token, 'access_token']);
        let revoked = 0;
        let invalid = 0;
        const errors = [];
        for (const [token, hint] of tokens) {
            // A fresh assertion per request: a signed client assertion is single-use. Its audience stays
            // the token endpoint, which servers accept at revocation too (RFC 7523 §3).
            const build = async () => {
                const auth = await authenticate(method, config, lease.tokenEndpoint, deps);
                return tokenRequest(endpoint, { token, token_type_hint: hint, ...auth.params }, 'form', auth.headers, 'Revocation');
            };
            let req;
            let res;
            try {
                req = { ...(await build()), ...(method === 'private_key_jwt' && { renew: build }) };
                res = await deps.send(req);
            }
            catch (err) {
                // A network failure (after retries) on one token must not keep the other from being tried.
                if (!(err instanceof Error) || (err.name !== 'RequestError' && err.name !== 'InputError'))
                    throw err;
                errors.push(err);
                continue;
            }
            // RFC 7009 §2.2: 200 whether the token was revoked or was already invalid; some servers answer 204.
            if (res.status >= 200 && res.status < 300) {
                revoked++;
                continue;
            }
            const error = (0,response/* failure */.V2)(req, res, deps.secrets, res.status === 404 ? "check 'revocation-url' (or the issuer's revocation_endpoint)" : undefined);
            if (error.code === 'invalid_token')
                invalid++;
            else
                errors.push(error);
        }
        if (errors.length === 1)
            throw errors[0];
        if (errors.length > 1)
            throw new http/* RequestError */.GI(errors.map((e) => e.message).join(' '), errors[0].status, errors[0].code);
        // 'already invalid' only when nothing was left to revoke; one revoked token is a revocation.
        return invalid > 0 && revoked === 0 ? 'already invalid' : 'revoked';
    }
    /** A discovered endpoint is server data: checked before the lease promises anything with it. */
    discovered(value, field) {
        if (value === undefined)
            return undefined;
        if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
            throw new http/* RequestError */.GI(`Discovery: the metadata of ${this.config.issuer} has a ${field} that is not an absolute URL. Hint: give it as an input instead.`);
        if (!(0,inputs/* isAllowedUrl */.y2)(value, this.config.allowInsecureHttp))
            throw new http/* RequestError */.GI(`Discovery: the ${field} of ${this.config.issuer} is plain http to a host that is not loopback (${new URL(value).host}): refused. Hint: fix the server's metadata, or set allow-insecure-http: true.`);
        return value;
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


/***/ })

};
