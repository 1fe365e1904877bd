/**
 * private_key_jwt client assertions (RFC 7523 §2.2, OIDC Core §9): iss = sub = client id,
 * aud = the endpoint, a unique jti, exp five minutes ahead. jose is loaded only for this flow.
 */
import { createPrivateKey, randomUUID } from 'node:crypto'
import type { Config } from '../inputs.js'
import { InputError } from '../inputs.js'

const LIFETIME_SECONDS = 300

export async function signClientAssertion(config: Config, audience: string): Promise<string> {
  let key
  try {
    key = createPrivateKey({ key: config.privateKey!, format: 'pem', passphrase: config.tls.passphrase })
  } catch {
    throw new InputError(`'private-key' could not be read: give a PEM private key (PKCS#8 "BEGIN PRIVATE KEY", or PKCS#1/SEC1)`)
  }
  const { SignJWT } = await import('jose')
  const now = Math.floor(Date.now() / 1000)
  try {
    return await new SignJWT({})
      .setProtectedHeader({ alg: config.signingAlgorithm, typ: 'JWT', ...(config.privateKeyId && { kid: config.privateKeyId }) })
      .setIssuer(config.clientId!)
      .setSubject(config.clientId!)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + LIFETIME_SECONDS)
      .sign(key)
  } catch {
    throw new InputError(`'private-key' does not fit 'signing-algorithm' ${config.signingAlgorithm}: RS256/PS256 need an RSA key, ES256 a P-256 key, EdDSA an Ed25519 key`)
  }
}
