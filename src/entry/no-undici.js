/**
 * Stands in for undici in dist/ (scripts/build.mjs maps the import to this file).
 *
 * @actions/http-client imports undici for one method, getProxyAgentDispatcher(), which serves
 * fetch-based clients. token-lease sends through node:http/https (and tunnel, for proxies), so
 * undici — about 430 KB, two thirds of a bundle — would be parsed on every run and never used.
 */
export class ProxyAgent {
  constructor() {
    throw new Error('token-lease does not bundle undici: HttpClient.getProxyAgentDispatcher() is not available')
  }
}
