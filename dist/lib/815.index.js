export const id = 815;
export const ids = [815];
export const modules = {

/***/ 815:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SIGNEASY_REVOCATION_URL: () => (/* binding */ SIGNEASY_REVOCATION_URL),
/* harmony export */   create: () => (/* binding */ create),
/* harmony export */   signeasyConfig: () => (/* binding */ signeasyConfig),
/* harmony export */   signeasyRevocationUrl: () => (/* binding */ signeasyRevocationUrl)
/* harmony export */ });
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(169);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(87);
/* harmony import */ var _oauth_response_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(612);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(21);
/**
 * Signeasy (PROTOCOLS.md §4): an Auth0-style client-credentials request with a JSON body
 * {client_id, client_secret, audience, grant_type} at auth.signeasy.com. Every default can be
 * overridden (a sandbox, a proxy): token-url, audience, request-format, client-auth
 * (client_secret_basic). The token request is the generic OAuth 2.0 provider's.
 *
 * Revocation is Signeasy's own, not RFC 7009: `DELETE https://api.signeasy.com/oauth2/tokens/revoke/`
 * with the token as Bearer, 200 {"message": "Access Revoked"}. Signeasy documents it for OAuth
 * apps; that it ends a client-credentials token is not confirmed by any source, so only 200
 * counts as revoked and every other answer is reported as not confirmed — never hidden.
 */




const SIGNEASY_REVOCATION_URL = 'https://api.signeasy.com/oauth2/tokens/revoke/';
/** The Config the generic OAuth 2.0 provider needs to speak Signeasy's token request. */
function signeasyConfig(config) {
    return {
        ...config,
        tokenUrl: config.tokenUrl ?? _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .SIGNEASY_TOKEN_URL */ .uV,
        // Nothing to discover; revocation is Signeasy's own DELETE (below), not RFC 7009.
        issuer: undefined,
        revocationUrl: undefined,
        grantType: 'client_credentials',
        audience: config.audience ?? _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .SIGNEASY_AUDIENCE */ .jD,
        requestFormat: config.requestFormat ?? 'json',
        // The documented request carries the client's credentials in the body.
        clientAuth: config.clientAuth ?? 'client_secret_post',
    };
}
/**
 * Where post revokes: 'revocation-url', else Signeasy's own endpoint for a token from Signeasy's
 * own token URL. A token from another token-url (a sandbox, a dev environment) is not sent to
 * production's endpoint unasked: its environment's endpoint must be given.
 */
function signeasyRevocationUrl(config) {
    if (config.revocationUrl)
        return config.revocationUrl;
    return !config.tokenUrl || config.tokenUrl === _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .SIGNEASY_TOKEN_URL */ .uV ? SIGNEASY_REVOCATION_URL : undefined;
}
const OAUTH_APPS_ONLY = "Signeasy documents this endpoint for OAuth apps ('Revoking Access Tokens'); that it ends a client-credentials token is not confirmed, so the token may stay valid until it expires";
async function create(config, deps) {
    // Imported, not bundled in: the oauth2 chunk is shared with provider oauth2.
    const { OAuth2Provider } = await __webpack_require__.e(/* import() */ 635).then(__webpack_require__.bind(__webpack_require__, 635));
    const oauth2 = new OAuth2Provider(signeasyConfig(config), deps);
    const revocationUrl = signeasyRevocationUrl(config);
    return {
        async acquire() {
            const acquired = await oauth2.acquire();
            if (!revocationUrl)
                return {
                    ...acquired,
                    lease: { ...acquired.lease, revocation: 'unsupported', revocationEndpoint: undefined },
                    unsupportedReason: "'token-url' is not Signeasy's own, so its token is not sent to api.signeasy.com: give that environment's revocation endpoint in 'revocation-url'",
                };
            const revocation = config.revoke ? 'scheduled' : 'disabled';
            return { ...acquired, lease: { ...acquired.lease, revocation, revocationEndpoint: revocationUrl } };
        },
        async revoke(lease) {
            // Where the inputs say, whatever the saved lease names: the token goes nowhere the workflow did not choose.
            if (!revocationUrl)
                throw new _http_js__WEBPACK_IMPORTED_MODULE_1__/* .RequestError */ .GI(`Not revoked: no Signeasy revocation endpoint is known. Hint: give 'revocation-url'.`);
            const req = {
                method: 'DELETE',
                url: revocationUrl,
                headers: { authorization: `Bearer ${lease.token}` },
                purpose: 'Revocation',
            };
            const res = await deps.send(req);
            if (res.status === 200)
                return 'revoked';
            throw notConfirmed(req, res, deps.secrets);
        },
    };
}
/**
 * Anything but the documented 200: endpoint, status with its reason phrase, an OAuth `error` code
 * if the body has one (cleaned, bounded), and the honest hint; never the body.
 */
function notConfirmed(req, res, secrets) {
    // Not JSON: the body is never shown.
    const json = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .jsonObject */ .o$)(res.body);
    const code = typeof json?.error === 'string' && json.error ? (0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .clean */ .uH)(json.error, secrets, 60) : undefined;
    const ids = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .requestIds */ .qs)(res, secrets, json);
    const reason = res.statusText ? ` ${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .clean */ .uH)(res.statusText, secrets, 100)}` : '';
    const extra = res.status === 404 || res.status === 405
        ? "; check 'revocation-url'"
        : res.status === 429 || res.status >= 500
            ? '; the server failed or is busy: it may work on a later run'
            : res.status >= 200 && res.status < 300
                ? ' (only the documented 200 counts)'
                : '';
    return new _http_js__WEBPACK_IMPORTED_MODULE_1__/* .RequestError */ .GI(`Revocation not confirmed: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(req)} → HTTP ${res.status}${reason}${code ? `; error ${code}` : ''}${ids ? `; ${ids}` : ''}. Hint: ${OAUTH_APPS_ONLY}${extra}.`, res.status, code);
}


/***/ })

};
