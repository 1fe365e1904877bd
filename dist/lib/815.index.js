export const id = 815;
export const ids = [815];
export const modules = {

/***/ 815:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   create: () => (/* binding */ create),
/* harmony export */   signeasyConfig: () => (/* binding */ signeasyConfig)
/* harmony export */ });
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(422);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(87);
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
async function create(config, deps) {
    // Imported, not bundled in: the oauth2 chunk is shared with provider oauth2.
    const { OAuth2Provider } = await __webpack_require__.e(/* import() */ 42).then(__webpack_require__.bind(__webpack_require__, 42));
    const oauth2 = new OAuth2Provider(signeasyConfig(config), deps);
    return {
        acquire: () => oauth2.acquire(),
        // Never called: post makes no request for a lease whose revocation is 'unsupported'.
        revoke: () => Promise.reject(new _http_js__WEBPACK_IMPORTED_MODULE_1__/* .RequestError */ .GI('Signeasy access tokens cannot be revoked: the token stays valid until it expires.')),
    };
}


/***/ })

};
