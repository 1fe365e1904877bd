export const id = 350;
export const ids = [350];
export const modules = {

/***/ 350:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ACCESS_TOKEN_PATH: () => (/* binding */ ACCESS_TOKEN_PATH),
/* harmony export */   ROTATE_PATHS: () => (/* binding */ ROTATE_PATHS),
/* harmony export */   create: () => (/* binding */ create),
/* harmony export */   isoDate: () => (/* binding */ isoDate),
/* harmony export */   refusal: () => (/* binding */ refusal)
/* harmony export */ });
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(87);
/* harmony import */ var _lease_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(121);
/* harmony import */ var _oauth_response_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(612);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(21);




const ACCESS_TOKEN_PATH = '/api/token/v1/tokens/access-token';
/**
 * The API-token rotation path: the guide gives the first, the API reference the second, and which
 * one is live is unknown (PROTOCOLS.md §5). A 404 proves nothing was rotated, so the other is tried.
 */
const ROTATE_PATHS = ['/api/token/v1/tokens/refresh/api-token', '/api/token/v1/v1/tokens/refresh/api-token'];
function create(config, deps) {
    // server-url is the API's base URL; a trailing slash must not double the path's.
    const base = config.serverUrl.replace(/\/+$/, '');
    const clientId = config.clientId;
    const request = (path, body, purpose) => ({
        method: 'POST',
        url: `${base}${path}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        purpose,
    });
    async function rotate(apiToken) {
        // Not repeatable: once the server has rotated, a retry would send the deactivated token.
        const rotation = (path) => ({
            ...request(path, { client_id: clientId, grant_type: 'token-exchange', refresh_token: apiToken, scope: 'openid' }, 'M-Trust API token rotation'),
            repeatable: false,
        });
        let req = rotation(ROTATE_PATHS[0]);
        let res = await deps.send(req);
        if (res.status === 404) {
            // No such path: nothing was rotated, so the API token is still the live one and the other path may have it.
            deps.log.info(`M-Trust answered 404 at ${ROTATE_PATHS[0]}: trying the API reference's path ${ROTATE_PATHS[1]}.`);
            req = rotation(ROTATE_PATHS[1]);
            res = await deps.send(req);
            if (res.status === 404)
                throw refusal(req, res, deps.secrets, BOTH_PATHS_HINT);
        }
        if (!ok(res))
            throw refusal(req, res, deps.secrets);
        const json = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .readJson */ .Vh)(req, res);
        const value = typeof json.value === 'string' ? json.value : '';
        // Masked before anything else can print or output it.
        deps.secrets.add(value);
        if (!value)
            throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .RequestError */ .GI(`M-Trust API token rotation (${(0,_http_js__WEBPACK_IMPORTED_MODULE_0__/* .describe */ .q0)(req)}) answered HTTP ${res.status} without a new token value. Hint: the old API token may now be deactivated; if the next run fails with it, create a new API token for the App in the M-Trust console.`, res.status);
        deps.log.info(`M-Trust rotated the API token at ${new URL(req.url).pathname}.`);
        const info = (json.token ?? {});
        return { value, expiresAt: isoDate(info.expirationDate) };
    }
    async function accessToken(apiToken) {
        const req = request(ACCESS_TOKEN_PATH, { client_id: clientId, grant_type: 'refresh_token', refresh_token: apiToken, scope: 'openid' }, 'M-Trust token request');
        const res = await deps.send(req);
        if (!ok(res))
            throw refusal(req, res, deps.secrets);
        const token = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .readToken */ .AI)(req, res, deps.secrets);
        const now = deps.now();
        return {
            provider: 'm-trust',
            token: token.access_token,
            tokenType: token.token_type ?? 'Bearer',
            issuedAt: now,
            // The response documents no lifetime: an expires_in if one ever comes, else a JWT's exp claim, else unknown.
            expiresAt: token.expires_in !== undefined ? now + token.expires_in : (0,_lease_js__WEBPACK_IMPORTED_MODULE_1__/* .jwtExpiry */ .lo)(token.access_token),
            scope: token.scope ?? 'openid',
            identity: clientId,
            tokenEndpoint: req.url,
            revocation: 'unsupported',
        };
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
                deps.log.warning(`The M-Trust API token was rotated: the old one is now deactivated. Store the new one from the 'api-token' output (e.g. with gh secret set) before the job ends, or the next run cannot authenticate${rotated.expiresAt ? `; it expires ${rotated.expiresAt}` : ''}.`);
            }
            try {
                return { lease: await accessToken(apiToken), outputs };
            }
            catch (err) {
                // The old API token is already deactivated: the new one must reach the workflow anyway (main sets err.outputs).
                throw Object.assign(err, { outputs });
            }
        },
        // Never called: post makes no request for a lease whose revocation is 'unsupported'.
        revoke: () => Promise.reject(new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .RequestError */ .GI('M-Trust documents no revocation endpoint: the access token stays valid until it expires.')),
    };
}
/** The API documents 200; a token endpoint that says 201 Created has still answered. */
const ok = (res) => res.status === 200 || res.status === 201;
/** Epoch values from 1e11 up are milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973. */
const MS_FROM = 1e11;
/**
 * An expirationDate as ISO 8601 UTC without milliseconds; undefined when absent or unreadable.
 * The API reference types it as a number with no unit and the guide shows a timestamp, so an
 * ISO string, epoch seconds and epoch milliseconds (as numbers or digit strings) are all read,
 * the unit told by magnitude.
 */
function isoDate(value) {
    const epoch = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
    if (epoch !== undefined && (!Number.isFinite(epoch) || epoch <= 0))
        return undefined;
    // A string that is no epoch must name its year: V8's lenient parser reads '-5' or 'May 5' as a day in 2001.
    const dated = typeof value === 'string' && /\b\d{4}\b/.test(value);
    const date = epoch !== undefined ? new Date(epoch < MS_FROM ? epoch * 1000 : epoch) : dated ? new Date(value) : undefined;
    return !date || Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
const CREDENTIAL_HINT = "check 'client-id' (the App id) and 'api-token' (an API token of that App: not expired, and not deactivated by an earlier rotation — after rotate-api-token: true only the newest one works)";
const BOTH_PATHS_HINT = `neither documented rotation path exists there (${ROTATE_PATHS.join(', ')}): check 'server-url', the M-Trust API base URL; nothing was rotated, so the API token still works`;
function hintFor(status) {
    if (status === 400 || status === 401 || status === 403)
        return CREDENTIAL_HINT;
    if (status === 404 || status === 405)
        return "check 'server-url': it is the M-Trust API base URL, to which the action appends /api/token/v1/tokens/…";
    if (status === 415)
        return 'the server refused the JSON body: check that no proxy rewrites the request';
    if (status >= 300 && status < 400)
        return "the endpoint redirects: give the final base URL in 'server-url'; redirects are not followed so that the API token goes nowhere else";
    if (status === 429 || status >= 500)
        return 'the server is busy or failed; try again later';
    return undefined;
}
/**
 * The error for a refused request. M-Trust documents no error shape, so read what comes:
 * an OAuth {error, error_description}, a problem+json {title, detail}, or a {message} —
 * each redacted and bounded; never the raw body.
 */
function refusal(req, res, secrets, hint = hintFor(res.status)) {
    // Not JSON: the body is never shown.
    const json = (0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .jsonObject */ .o$)(res.body) ?? {};
    const text = (key, max) => typeof json[key] === 'string' && json[key] ? (0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .clean */ .uH)(json[key], secrets, max) : undefined;
    const code = text('error', 60);
    const description = text('error_description', 300);
    const problem = [text('title', 100), text('detail', 300)].filter(Boolean).join(': ');
    const said = code ? `error ${code}${description ? `: ${description}` : ''}` : description || problem || text('message', 300);
    const reason = !said && res.statusText ? ` ${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .clean */ .uH)(res.statusText, secrets, 200)}` : '';
    const parts = [
        `${req.purpose} failed: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_0__/* .describe */ .q0)(req)} → HTTP ${res.status}${reason}`,
        ...(said ? [said] : []),
        ...[(0,_oauth_response_js__WEBPACK_IMPORTED_MODULE_2__/* .requestIds */ .qs)(res, secrets, json)].filter((ids) => ids !== undefined),
        ...(hint ? [`Hint: ${hint}`] : []),
    ];
    return new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .RequestError */ .GI(parts.join('; ') + '.', res.status, code);
}


/***/ })

};
