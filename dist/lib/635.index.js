export const id = 635;
export const ids = [635];
export const modules = {

/***/ 635:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  OAuth2Provider: () => (/* binding */ OAuth2Provider),
  create: () => (/* binding */ create)
});

// EXTERNAL MODULE: ./src/inputs.ts + 1 modules
var inputs = __webpack_require__(169);
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

// EXTERNAL MODULE: ./src/oauth/discovery.ts
var discovery = __webpack_require__(253);
// EXTERNAL MODULE: ./src/oauth/response.ts
var response = __webpack_require__(612);
// EXTERNAL MODULE: ./src/secrets.ts + 1 modules
var secrets = __webpack_require__(21);
// EXTERNAL MODULE: ./src/http.ts + 2 modules
var http = __webpack_require__(87);
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

// EXTERNAL MODULE: ./src/trust.ts
var trust = __webpack_require__(689);
;// CONCATENATED MODULE: ./src/oauth/introspection.ts
/**
 * RFC 7662 introspection to confirm a revocation: one POST of the token, with the same client
 * authentication as the token request (and the Basic form that worked, Lease.basicEncoding).
 * `active: false` proves the token dead; `active: true` means the revocation did not take.
 * Anything else — no endpoint, a client that may not introspect, a failure — is 'unknown' with
 * a reason a person can act on. Server text is never shown: only the status and the verdict.
 */





const unknown = (reason) => ({ state: 'unknown', reason });
/** The introspection endpoint: the input, else the one the given issuer's metadata names. */
async function introspectionEndpoint(config, deps) {
    if (config.introspectionUrl)
        return config.introspectionUrl;
    if (!config.issuer)
        return { reason: "no introspection endpoint is known (give 'introspection-url')" };
    const value = (await (0,trust/* metadataOf */.N)(config.issuer, deps)).introspection_endpoint;
    if (value === undefined)
        return { reason: "the server's metadata lists no introspection_endpoint (give 'introspection-url')" };
    if (typeof value !== 'string' || !URL.canParse(value) || !(0,inputs/* isAllowedUrl */.y2)(value, config.allowInsecureHttp))
        return { reason: "the server's introspection_endpoint is not a usable https URL (give 'introspection-url')" };
    return value;
}
async function introspect(lease, config, deps) {
    try {
        const endpoint = await introspectionEndpoint(config, deps);
        if (typeof endpoint !== 'string')
            return unknown(endpoint.reason);
        const method = lease.clientAuth ?? chooseClientAuth(config);
        const build = async () => {
            const auth = await authenticate(method, config, lease.tokenEndpoint, deps, { unencoded: lease.basicEncoding === 'unencoded' });
            return tokenRequest(endpoint, { token: lease.token, token_type_hint: 'access_token', ...auth.params }, 'form', auth.headers, 'Introspection');
        };
        const req = { ...(await build()), ...(method === 'private_key_jwt' && { renew: build }) };
        const res = await deps.send(req);
        if (res.status === 401 || res.status === 403)
            return unknown(`the client may not introspect (introspection answered HTTP ${res.status})`);
        if (res.status !== 200)
            return unknown(`introspection answered HTTP ${res.status}`);
        let active;
        try {
            active = JSON.parse(res.body)?.active;
        }
        catch {
            /* not JSON: the body is never shown */
        }
        if (active === false)
            return { state: 'dead' };
        if (active === true)
            return { state: 'alive' };
        return unknown("introspection answered without a true or false 'active'");
    }
    catch (err) {
        // The HTTP layer's and discovery's errors carry no secret; anything else is not printed.
        if (err instanceof http/* RequestError */.GI || (err instanceof Error && err.name === 'InputError'))
            return unknown(err.message.replace(/\.$/, ''));
        return unknown('introspection failed unexpectedly');
    }
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
/** Network failures after which a request may have reached the server (its answer lost, not its question). */
const MAY_HAVE_ARRIVED = new Set(['TIMEOUT', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'EBODYTOOLARGE']);
const SPENT_REFRESH_TOKEN = 'refresh token may be spent: the request may have reached the server, which may have rotated it (RFC 9700 §4.14.2), and the answer is lost; it was not re-sent, and if a later run is refused with invalid_grant, a new refresh token is needed';
const spent = (err) => new http/* RequestError */.GI(`${err.message} The ${SPENT_REFRESH_TOKEN}.`, err.status, err.code);
/** RFC 7009 §2.2 answers 200 for a token already invalid: an invalid_token error confirms nothing. */
const REVOCATION_INVALID_TOKEN = 'an RFC 7009 server answers 200 even for a token that is already invalid, so this refusal does not show the token is dead; check the revocation endpoint and how it wants the client to authenticate';
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
        const build = async (unencoded = false) => {
            const auth = await authenticate(clientAuth, config, tokenEndpoint, deps, { unencoded });
            const req = tokenRequest(tokenEndpoint, { ...params, ...auth.params }, config.requestFormat ?? 'form', auth.headers);
            // A refresh token the server may rotate is spent once it arrives: never re-sent after that (RFC 9700 §4.14.2).
            return config.grantType === 'refresh_token' ? { ...req, repeatable: false } : req;
        };
        const { token, basicEncoding } = await this.grant(clientAuth, build);
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
            ...(token.scope === undefined && config.scope !== undefined && { scopeConfirmed: false }),
            identity: config.clientId,
            tokenEndpoint,
            revocation: !revocationEndpoint ? 'unsupported' : config.revoke ? 'scheduled' : 'disabled',
            revocationEndpoint,
            clientAuth,
            ...(basicEncoding && { basicEncoding }),
            refreshToken,
        };
        return { lease, outputs, ...(!revocationEndpoint && { unsupportedReason: this.noRevocationReason(metadata) }) };
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
        const unencoded = lease.basicEncoding === 'unencoded';
        const errors = [];
        for (const [token, hint] of tokens) {
            // A fresh assertion per request: a signed client assertion is single-use. Its audience stays
            // the token endpoint, which servers accept at revocation too (RFC 7523 §3).
            const build = async () => {
                const auth = await authenticate(method, config, lease.tokenEndpoint, deps, { unencoded });
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
            // Anything else, invalid_token included, is a refusal: nothing confirms the token is dead.
            if (res.status >= 200 && res.status < 300)
                continue;
            errors.push((0,response/* failure */.V2)(req, res, deps.secrets, {
                codeHints: { invalid_token: REVOCATION_INVALID_TOKEN },
                ...(res.status === 404 && { hint: "check 'revocation-url' (or the issuer's revocation_endpoint)" }),
            }));
        }
        if (errors.length === 1)
            throw errors[0];
        if (errors.length > 1)
            throw new http/* RequestError */.GI(errors.map((e) => e.message).join(' '), errors[0].status, errors[0].code);
        return 'revoked';
    }
    /**
     * Sends the grant request and reads the token. With client_secret_basic refused as a
     * client-authentication failure, and only then, one more request with the credential unencoded.
     */
    async grant(clientAuth, build) {
        // A retry of a private_key_jwt request carries a new assertion (a reused jti is refused).
        const req = { ...(await build()), ...(clientAuth === 'private_key_jwt' && { renew: () => build() }) };
        const res = await this.sendGrant(req);
        if (res.status === 200) {
            if (clientAuth === 'client_secret_basic')
                this.deps.log.debug('Client authentication: the server accepted the form-encoded Basic credential (RFC 6749 §2.3.1).');
            return { token: this.readGrant(req, res) };
        }
        if (!this.basicFallbackApplies(clientAuth, res))
            throw this.grantFailure(req, res);
        // RFC 6749 Appendix B says servers form-decode Basic credentials; many do not. One more try, as they are.
        const retry = await build(true);
        let second;
        try {
            second = await this.sendGrant(retry);
        }
        catch (err) {
            // The first refusal is what the user must fix, whatever became of the retry: both are said.
            if (!(err instanceof http/* RequestError */.GI))
                throw err;
            throw this.grantFailure(req, res, {
                note: `client_secret_basic was tried twice: form-encoded (RFC 6749 §2.3.1), refused as above, and as they are, which got no answer (${err.message.replace(/\.$/, '')})`,
            });
        }
        // Past client authentication this time (a scope refused, say): that answer is the one to report.
        if (second.status !== 200 && !(0,response/* isClientAuthRefusal */.kr)(second))
            throw this.grantFailure(retry, second, {
                note: 'this answers the Basic credential sent unencoded, after the server refused it form-encoded',
            });
        if (second.status !== 200)
            throw this.grantFailure(req, res, {
                note: `client_secret_basic was tried twice: with 'client-id' and 'client-secret' form-encoded (RFC 6749 §2.3.1), and as they are (HTTP ${second.status})`,
                hint: "check 'client-id' and 'client-secret', and that the client may use client_secret_basic (else set 'client-auth')",
            });
        this.deps.log.info('Client authentication: the server refused the form-encoded Basic credential and accepted it unencoded (it does not form-decode, RFC 6749 Appendix B); revocation uses the same form.');
        return { token: this.readGrant(retry, second), basicEncoding: 'unencoded' };
    }
    /**
     * The Basic fallback applies to a refusal of the client's authentication, and only when
     * form-encoding changed the id or the secret (else the unencoded form is the same bytes).
     */
    basicFallbackApplies(clientAuth, res) {
        const { clientId, clientSecret } = this.config;
        if (clientAuth !== 'client_secret_basic' || !clientId || !clientSecret || !(0,response/* isClientAuthRefusal */.kr)(res))
            return false;
        return basicCredential(clientId, clientSecret) !== basicCredential(clientId, clientSecret, true);
    }
    /** Sends the grant request; a refresh token lost on the way is said to be possibly spent. */
    async sendGrant(req) {
        try {
            return await this.deps.send(req);
        }
        catch (err) {
            if (err instanceof http/* RequestError */.GI && this.config.grantType === 'refresh_token' && MAY_HAVE_ARRIVED.has(err.code ?? ''))
                throw spent(err);
            throw err;
        }
    }
    grantFailure(req, res, options = {}) {
        const mayBeSpent = this.config.grantType === 'refresh_token' && res.status >= 500;
        const note = [options.note, mayBeSpent && `the ${SPENT_REFRESH_TOKEN}`].filter(Boolean).join('; ');
        return (0,response/* failure */.V2)(req, res, this.deps.secrets, { ...options, ...(note && { note }) });
    }
    /** A 200 the server answered has consumed a refresh token, whether or not its body can be read. */
    readGrant(req, res) {
        try {
            return (0,response/* readToken */.AI)(req, res, this.deps.secrets);
        }
        catch (err) {
            if (err instanceof http/* RequestError */.GI && this.config.grantType === 'refresh_token')
                throw spent(err);
            throw err;
        }
    }
    /** Why no revocation endpoint is known, and how to give one (Acquired.unsupportedReason). */
    noRevocationReason(metadata) {
        const give = "give 'revocation-url' if the server has a revocation endpoint (RFC 7009)";
        if (metadata)
            return `The metadata of ${this.config.issuer} lists no revocation_endpoint: ${give}.`;
        return `No 'revocation-url' was given${this.config.issuer ? '' : " and no 'issuer' to discover one from"}: ${give}.`;
    }
    /** A discovered endpoint is server data: checked before the lease promises anything with it. */
    discovered(value, field) {
        if (value === undefined)
            return undefined;
        if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
            throw new http/* RequestError */.GI(`Discovery: the metadata of ${this.config.issuer} has a ${field} that is not an absolute URL. Hint: give it as an input instead.`);
        // Every request's URL is logged, and the client's credential goes to it: one that carries a secret is refused.
        if (!(0,http/* showableUrl */.L7)(value, this.deps.secrets))
            throw new http/* RequestError */.GI(`Discovery: the ${field} of ${this.config.issuer} carries a secret or a host not written as URLs write hosts: refused. Hint: fix the server's metadata, or give the endpoint as an input.`);
        if (!(0,inputs/* isAllowedUrl */.y2)(value, this.config.allowInsecureHttp))
            throw new http/* RequestError */.GI(`Discovery: the ${field} of ${this.config.issuer} is plain http to a host that is not loopback (${(0,secrets/* clean */.uH)(new URL(value).host, this.deps.secrets, 100)}): refused. Hint: fix the server's metadata, or set allow-insecure-http: true.`);
        return value;
    }
    async metadata() {
        const { config } = this;
        // Discovery costs a round trip: only when an endpoint or the auth method is still unknown.
        if (!config.issuer)
            return undefined;
        if (config.tokenUrl && config.revocationUrl && config.clientAuth)
            return undefined;
        return (0,discovery/* discover */.k4)(config.issuer, this.deps, { allowInsecureHttp: config.allowInsecureHttp });
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
    /** Confirms a revocation through RFC 7662 introspection (src/oauth/introspection.ts). */
    verify(lease) {
        return introspect(lease, this.config, this.deps);
    }
}


/***/ })

};
