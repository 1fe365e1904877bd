export const id = 468;
export const ids = [468];
export const modules = {

/***/ 7468:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_TPP_SCOPE: () => (/* binding */ DEFAULT_TPP_SCOPE),
/* harmony export */   create: () => (/* binding */ create),
/* harmony export */   tppBase: () => (/* binding */ tppBase)
/* harmony export */ });
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2864);
/* harmony import */ var _oauth_response_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2612);


const DEFAULT_TPP_SCOPE = 'certificate:manage,revoke';
/** The base URL as users paste it: with or without a trailing `/`, `/vedsdk` or `/vedsdk/`. */
function tppBase(serverUrl) {
    return serverUrl.replace(/\/+$/, '').replace(/\/vedsdk$/i, '');
}
function create(config, deps) {
    const base = tppBase(config.serverUrl);
    const scope = config.scope ?? DEFAULT_TPP_SCOPE;
    const way = config.username ? 'oauth' : config.tls.cert ? 'certificate' : 'jwt';
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-cache' };
    const HINTS = {
        oauth: "check 'username'/'password', that 'client-id' is the API integration's id, and that 'scope' is within the integration's scope",
        certificate: "check that the client certificate maps to a TPP identity, that the server accepts client certificates, and 'client-id'/'scope'",
        jwt: "check the server's JWT mapping for GitHub's issuer and the token's audience ('oidc-audience'), and 'client-id'/'scope'",
    };
    return {
        async acquire() {
            const body = { client_id: config.clientId, scope };
            if (way === 'oauth')
                Object.assign(body, { username: config.username, password: config.password });
            if (way === 'jwt')
                body.jwt = await deps.githubOidcToken(config.oidcAudience);
            const req = { method: 'POST', url: `${base}/vedauth/authorize/${way}`, headers, body: JSON.stringify(body), purpose: 'TPP token request' };
            const res = await deps.send(req);
            if (res.status !== 200)
                throw (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_1__/* .failure */ .V2)(req, res, deps.secrets, HINTS[way]);
            const token = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_1__/* .readToken */ .AI)(req, res, deps.secrets);
            const now = deps.now();
            const lease = {
                provider: 'venafi-tpp',
                token: token.access_token,
                tokenType: token.token_type ?? 'Bearer',
                issuedAt: now,
                // TPP gives an absolute expiry; expires_in only on some versions.
                expiresAt: token.expires ?? (token.expires_in !== undefined ? now + token.expires_in : undefined),
                scope: token.scope ?? scope,
                identity: token.identity ? `${token.identity} (${config.clientId})` : config.clientId,
                tokenEndpoint: req.url,
                revocation: config.revoke ? 'scheduled' : 'disabled',
                revocationEndpoint: `${base}/vedauth/revoke/token`,
                // The refresh token (masked by readToken) is never output: revoking the grant ends it too.
            };
            return { lease };
        },
        async revoke(lease) {
            const req = {
                method: 'GET',
                url: lease.revocationEndpoint,
                headers: { authorization: `Bearer ${lease.token}`, 'cache-control': 'no-cache' },
                purpose: 'TPP revocation',
            };
            const res = await deps.send(req);
            if (res.status === 200)
                return 'revoked';
            // 202 "[token] not found": the server did not see a token to revoke (vcert treats only 200 as success).
            if (res.status === 202)
                return 'not found';
            // Since 20.4 an invalid or expired token gives 401: nothing is left to revoke.
            if (res.status === 401)
                return 'already invalid';
            if (res.status === 403)
                throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .RequestError */ .GI(`TPP revocation failed: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_0__/* .describe */ .q0)(req)} → HTTP 403. Hint: the token's scope may not allow revocation on this server version.`, 403);
            throw (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_1__/* .failure */ .V2)(req, res, deps.secrets);
        },
    };
}


/***/ })

};
