export const id = 350;
export const ids = [350];
export const modules = {

/***/ 7350:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   create: () => (/* binding */ create)
/* harmony export */ });
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2864);
/* harmony import */ var _lease_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7121);
/* harmony import */ var _oauth_response_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2612);



function create(config, deps) {
    const base = config.serverUrl.replace(/\/+$/, '');
    const post = (path, body, purpose) => ({
        method: 'POST',
        url: `${base}${path}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        purpose,
    });
    const hint = "check 'client-id' (the App id) and 'api-token' (the App's API token: not expired, not deactivated by a rotation)";
    /** Exchanges the API token for a new one; the old one is deactivated by the server. */
    async function rotate(apiToken) {
        const req = post('/api/token/v1/tokens/refresh/api-token', { client_id: config.clientId, grant_type: 'token-exchange', refresh_token: apiToken, scope: 'openid' }, 'M-Trust API token rotation');
        const res = await deps.send(req);
        if (res.status !== 200 && res.status !== 201)
            throw (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .failure */ .V2)(req, res, deps.secrets, hint);
        const json = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .readJson */ .Vh)(req, res);
        if (typeof json.value !== 'string' || !json.value)
            throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .RequestError */ .GI(`M-Trust API token rotation answered HTTP ${res.status} without a new token value.`, res.status);
        deps.secrets.add(json.value);
        const info = json.token;
        const expiry = typeof info?.expirationDate === 'string' ? new Date(info.expirationDate) : undefined;
        return { value: json.value, expiresAt: expiry && !isNaN(expiry.getTime()) ? expiry.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined };
    }
    return {
        async acquire() {
            let apiToken = config.apiToken;
            const outputs = {};
            if (config.rotateApiToken) {
                const rotated = await rotate(apiToken);
                apiToken = rotated.value;
                outputs['api-token'] = rotated.value;
                outputs['api-token-expires-at'] = rotated.expiresAt ?? '';
                deps.log.warning(`The API token was rotated: the old one is now deactivated. Store the new one from the 'api-token' output (e.g. gh secret set) before the job ends${rotated.expiresAt ? `; it expires ${rotated.expiresAt}` : ''}.`);
            }
            try {
                return await accessToken(apiToken, outputs);
            }
            catch (err) {
                // The old API token is already deactivated: the new one must reach the workflow anyway.
                throw Object.assign(err, { outputs });
            }
        },
        revoke: () => Promise.reject(new Error('M-Trust documents no revocation endpoint')),
    };
    async function accessToken(apiToken, outputs) {
        const req = post('/api/token/v1/tokens/access-token', { client_id: config.clientId, grant_type: 'refresh_token', refresh_token: apiToken, scope: 'openid' }, 'M-Trust token request');
        const res = await deps.send(req);
        if (res.status !== 200 && res.status !== 201)
            throw (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .failure */ .V2)(req, res, deps.secrets, hint);
        const token = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .readToken */ .AI)(req, res, deps.secrets);
        const now = deps.now();
        const lease = {
            provider: 'm-trust',
            token: token.access_token,
            tokenType: token.token_type ?? 'Bearer',
            issuedAt: now,
            // The API documents no lifetime: a JWT's exp claim is the only source.
            expiresAt: token.expires_in !== undefined ? now + token.expires_in : (0,_lease_js__WEBPACK_IMPORTED_MODULE_1__/* .jwtExpiry */ .lo)(token.access_token),
            scope: token.scope ?? 'openid',
            identity: config.clientId,
            tokenEndpoint: req.url,
            revocation: 'unsupported',
        };
        return { lease, outputs };
    }
}


/***/ })

};
