/**
 * The Venafi TPP world the integration and contract tests of provider venafi-tpp share: a
 * throwaway PKI, the stand-in for the runner's OIDC token service, and the TPP emulator holding
 * the `TPP` fixture (one integration, one user, one mapped client certificate, one JWT mapping
 * trusting the stand-in's tokens).
 */
import { startGithubOidcServer, type GithubOidcServer } from './github-oidc-server.js'
import { createPki, startTppEmulator, TPP, type Pki, type TppEmulator } from './tpp-emulator.js'

export interface TppFixture {
  pki: Pki
  tpp: TppEmulator
  gh: GithubOidcServer
  close(): Promise<void>
}

export async function startTppFixture(): Promise<TppFixture> {
  const pki = createPki()
  const gh = await startGithubOidcServer({ repository: TPP.repository })
  const tpp = await startTppEmulator({
    pki,
    integrations: [{ id: TPP.clientId, scope: TPP.integrationScope, accessLifetime: 3600, grantLifetime: 86400 }],
    users: [{ username: TPP.username, password: TPP.password, identity: TPP.userIdentity }],
    certificates: [{ cn: pki.client.cn, identity: TPP.certIdentity }],
    jwtMappings: [{ verify: gh.verify, audience: TPP.jwtAudience, claims: { repository: TPP.repository }, identity: TPP.jwtIdentity }],
  })
  return {
    pki,
    tpp,
    gh,
    close: async () => {
      await tpp.close()
      await gh.close()
    },
  }
}

/** The inputs of the username/password way in against the fixture's emulator, trusting only its private CA. */
export const passwordInputsFor = ({ tpp, pki }: Pick<TppFixture, 'tpp' | 'pki'>, extra: Record<string, string> = {}) => ({
  provider: 'venafi-tpp',
  'server-url': `${tpp.url}/vedsdk/`,
  'client-id': TPP.clientId,
  username: TPP.username,
  password: TPP.password,
  'ca-certificate': pki.ca.cert,
  ...extra,
})

/** Starts the fixture before the tests of the file (or describe) that calls it and stops it after; the fields are set from then on. */
export function useTppFixture(): TppFixture {
  const handle = {} as TppFixture
  beforeAll(async () => {
    Object.assign(handle, await startTppFixture())
  })
  afterAll(() => handle.close())
  return handle
}
