export const id = 468;
export const ids = [468];
export const modules = {

/***/ 706:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_TPP_SCOPE: () => (/* binding */ DEFAULT_TPP_SCOPE),
/* harmony export */   create: () => (/* binding */ create),
/* harmony export */   tppBase: () => (/* binding */ tppBase),
/* harmony export */   wayIn: () => (/* binding */ wayIn)
/* harmony export */ });
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(169);
/* harmony import */ var _github_oidc_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(388);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(87);
/* harmony import */ var _oauth_response_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(612);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(21);





const DEFAULT_TPP_SCOPE = 'certificate:manage,revoke';
/** The base URL as users paste it: with or without a trailing `/`, `/vedsdk` or `/vedsdk/` (or `/vedauth`). */
function tppBase(serverUrl) {
    const u = new URL(serverUrl);
    // A TPP behind a path prefix (https://host/tpp/vedsdk) keeps its prefix.
    const path = u.pathname
        .replace(/\/+$/, '')
        .replace(/\/(vedsdk|vedauth)$/i, '')
        .replace(/\/+$/, '');
    return `${u.origin}${path}`;
}
/** Which endpoint the inputs choose; inputs.ts has already refused an ambiguous combination. */
function wayIn(config) {
    if (config.username || config.password)
        return 'oauth';
    if (config.tls.cert)
        return 'certificate';
    return 'jwt';
}
const WAY_NAMES = {
    oauth: 'username/password',
    certificate: 'client certificate',
    jwt: "the job's GitHub OIDC token",
};
const HINTS = {
    oauth: "check 'username' (e.g. local:svc-ci or DOMAIN\\user) and 'password', and that this user may use the API integration named in 'client-id'",
    certificate: 'check that the client certificate is issued by a CA the TPP server trusts for certificate authentication, that its CN or SAN maps to a TPP identity allowed to use the API integration, and that the server accepts client certificates',
    jwt: "check the server's JWT mapping (TPP 22.4 or later): it must trust GitHub's issuer (https://token.actions.githubusercontent.com), expect the audience given in 'oidc-audience', and map this repository's claims to an identity allowed to use the API integration",
};
const CLIENT_HINT = "check 'client-id': it must equal the API integration's id exactly (case-sensitive)";
const SCOPE_HINT = "check 'scope': TPP syntax (';' between scopes, ',' between privileges, e.g. certificate:manage,revoke;configuration), and only what the API integration allows";
function create(config, deps) {
    const base = tppBase(config.serverUrl);
    const scope = config.scope ?? DEFAULT_TPP_SCOPE;
    const way = wayIn(config);
    // vcert sends these on every VEDauth call; TPP sits behind IIS and proxies that may cache.
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-cache' };
    async function body() {
        // Field names and order as documented (names are case-sensitive).
        if (way === 'oauth')
            return { client_id: config.clientId, username: config.username, password: config.password, scope };
        if (way === 'certificate')
            return { client_id: config.clientId, scope };
        return { client_id: config.clientId, jwt: await keylessToken(), scope };
    }
    async function keylessToken() {
        try {
            return await deps.githubOidcToken(config.oidcAudience);
        }
        catch (err) {
            if (err instanceof _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz)
                throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz((0,_github_oidc_js__WEBPACK_IMPORTED_MODULE_1__/* .tppKeylessMessage */ .kc)(err.message));
            throw err;
        }
    }
    return {
        async acquire() {
            const req = {
                method: 'POST',
                url: `${base}/vedauth/authorize/${way}`,
                headers,
                body: JSON.stringify(await body()),
                purpose: 'TPP token request',
            };
            const res = await deps.send(req);
            if (res.status !== 200)
                throw tppFailure(req, res, deps.secrets, tokenHint(way, res));
            const token = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_3__/* .readToken */ .AI)(req, res, deps.secrets);
            const now = deps.now();
            if (token.refresh_token)
                deps.log.debug('TPP also issued a refresh token: it is masked and not output; revoking the grant at the end of the job ends it too.');
            const lease = {
                provider: 'venafi-tpp',
                token: token.access_token,
                tokenType: token.token_type ?? 'Bearer',
                issuedAt: now,
                expiresAt: expiry(token.expires, token.expires_in, now),
                scope: token.scope ?? scope,
                identity: token.identity ? `${token.identity} (${config.clientId})` : config.clientId,
                tokenEndpoint: req.url,
                revocation: config.revoke ? 'scheduled' : 'disabled',
                revocationEndpoint: `${base}/vedauth/revoke/token`,
            };
            // client-id is the workflow's text: cleaned like server text, so a line break cannot start a workflow command.
            deps.log.info(`TPP signed in with ${WAY_NAMES[way]} through API integration '${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .clean */ .uH)(config.clientId, deps.secrets, 200)}'.`);
            return { lease };
        },
        async revoke(lease) {
            // Where the inputs say, whatever the saved lease names: the token goes only to the TPP given in server-url.
            const req = authorized('GET', `${base}/vedauth/revoke/token`, lease, 'Revocation');
            const res = await deps.send(req);
            // Only 200 revokes (vcert agrees): it ends the whole grant, refresh token included.
            if (res.status === 200)
                return 'revoked';
            // 202 "[token] not found": no token reached the server (a proxy that drops Authorization?).
            if (res.status === 202)
                return 'not found';
            throw tppFailure(req, res, deps.secrets, REVOKE_HINTS[res.status], res.status === 401 ? REFUSED_401 : undefined);
        },
        async verify(lease) {
            const req = authorized('GET', `${base}/vedauth/authorize/verify`, lease, 'TPP token check');
            let res;
            try {
                res = await deps.send(req);
            }
            catch (err) {
                // The HTTP layer's messages are built without secrets (endpoint, code, hint).
                return { state: 'unknown', reason: err instanceof Error && err.name === 'RequestError' ? err.message : 'the request failed' };
            }
            if (res.status === 401)
                return { state: 'dead' };
            if (res.status === 200)
                return { state: 'alive' };
            const reason = res.statusText ? ` ${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .clean */ .uH)(res.statusText, deps.secrets, 100)}` : '';
            return { state: 'unknown', reason: `${(0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .describe */ .q0)(req)} answered HTTP ${res.status}${reason}` };
        },
    };
    /** A VEDauth call that carries the token, with vcert's headers (it sends the JSON content type on GETs too). */
    function authorized(method, url, lease, purpose) {
        return { method, url, headers: { ...headers, authorization: `Bearer ${lease.token}` }, purpose };
    }
}
/** What a 401 at revocation means: nothing was revoked, so nothing is claimed (TPP answers so since 20.4). */
const REFUSED_401 = 'not revoked: the server refused the token (401)';
const REVOKE_HINTS = {
    401: "TPP answers 401 for any token it does not accept (already revoked, expired, or issued by another server): check that 'server-url' is the TPP that issued it and that no other step revoked it",
    403: "the token's scope does not allow revocation on this server version; the docs name configuration:manage: add it to 'scope' (and to the API integration)",
    404: "check 'server-url': no VEDauth revoke endpoint there",
};
/** TPP gives an absolute `expires` (Unix seconds); `expires_in` only on some versions. */
function expiry(expires, expiresIn, now) {
    // Defensive: a value in milliseconds would put the expiry thousands of years ahead.
    if (expires !== undefined)
        return expires > 1e11 ? Math.floor(expires / 1000) : expires;
    return expiresIn !== undefined ? now + expiresIn : undefined;
}
function tokenHint(way, res) {
    if (res.status === 404)
        return `check 'server-url' (the TPP base URL, e.g. https://tpp.example.com): no VEDauth endpoint answered there${way === 'jwt' ? '; signing in with a JWT needs TPP 22.4 or later' : ''}`;
    if (res.status >= 500)
        return 'the server failed; try again later';
    const text = `${errorFields(res).code ?? ''} ${errorFields(res).description ?? ''} ${res.statusText}`;
    if (/invalid_client|client_id|application/i.test(text))
        return CLIENT_HINT;
    if (/invalid_scope|scope/i.test(text))
        return SCOPE_HINT;
    return HINTS[way];
}
/** The OAuth-style fields of an error body, where a TPP version sends one (none is documented). */
function errorFields(res) {
    const json = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_3__/* .jsonObject */ .o$)(res.body);
    return {
        code: typeof json?.error === 'string' ? json.error : undefined,
        description: typeof json?.error_description === 'string' ? json.error_description : undefined,
    };
}
/**
 * The error for a refused VEDauth call: endpoint, status with TPP's reason phrase (where TPP
 * puts its reason; vcert reads nothing else), an error body's code and description if there
 * is one, and a hint — each redacted, never the raw body.
 */
function tppFailure(req, res, secrets, hint, verdict) {
    const { code, description } = errorFields(res);
    const reason = res.statusText ? (0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .clean */ .uH)(res.statusText, secrets, 200) : '';
    const parts = [`${req.purpose} failed: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .describe */ .q0)(req)} → HTTP ${res.status}${reason ? ` ${reason}` : ''}`];
    const detail = description ? (0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .clean */ .uH)(description, secrets, 300) : undefined;
    if (code)
        parts.push(`error ${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .clean */ .uH)(code, secrets, 60)}${detail && detail !== reason ? `: ${detail}` : ''}`);
    else if (detail && detail !== reason)
        parts.push(detail);
    const ids = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_3__/* .requestIds */ .qs)(res, secrets, (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_3__/* .jsonObject */ .o$)(res.body));
    if (ids)
        parts.push(ids);
    if (verdict)
        parts.push(verdict);
    if (hint)
        parts.push(`Hint: ${hint}`);
    return new _http_js__WEBPACK_IMPORTED_MODULE_2__/* .RequestError */ .GI(parts.join('; ') + '.', res.status, code);
}


/***/ })

};
