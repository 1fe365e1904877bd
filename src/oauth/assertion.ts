/**
 * private_key_jwt client assertions (RFC 7523 §2.2 and §3, OIDC Core §9): iss = sub = client id,
 * aud = the token endpoint, a unique jti, iat, and exp five minutes ahead. A new one is signed
 * for every request (servers may reject a replayed jti). jose is loaded only for this flow.
 */
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto'
import type { Config, SigningAlgorithm } from '../inputs.js'
import { InputError } from '../inputs.js'

/** RFC 7523 §3 asks for a short life; five minutes is what Entra ID, Okta and Keycloak accept. */
export const ASSERTION_LIFETIME_SECONDS = 300

/** The key each algorithm needs, as Node names key types (and the EC curve). */
const KEY_FOR: Record<SigningAlgorithm, { types: string[]; curve?: string; text: string }> = {
  RS256: { types: ['rsa'], text: 'an RSA key (2048 bits or more)' },
  PS256: { types: ['rsa', 'rsa-pss'], text: 'an RSA key (2048 bits or more)' },
  ES256: { types: ['ec'], curve: 'prime256v1', text: 'an EC P-256 key' },
  EdDSA: { types: ['ed25519', 'ed448'], text: 'an Ed25519 key' },
}

export async function signClientAssertion(config: Config, audience: string, now = Math.floor(Date.now() / 1000)): Promise<string> {
  const alg = config.signingAlgorithm
  const key = readSigningKey(config.privateKey!, alg)
  const { SignJWT } = await import('jose')
  try {
    return await new SignJWT({})
      .setProtectedHeader({ alg, typ: 'JWT', ...(config.privateKeyId && { kid: config.privateKeyId }) })
      .setIssuer(config.clientId!)
      .setSubject(config.clientId!)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_LIFETIME_SECONDS)
      .sign(key)
  } catch {
    // jose's reasons (e.g. a short RSA modulus) name no key material, but say it in our words.
    throw cannotSign(alg)
  }
}

const KEY_NAMES: Record<string, string> = {
  rsa: 'an RSA key',
  'rsa-pss': 'an RSA-PSS key',
  ed25519: 'an Ed25519 key',
  ed448: 'an Ed448 key',
}

const cannotSign = (alg: SigningAlgorithm) =>
  new InputError(`'private-key' cannot sign with 'signing-algorithm' ${alg}: it needs ${KEY_FOR[alg].text}`)

/**
 * Parses the PEM and checks it fits the algorithm; errors describe the key, never show it.
 * Also the preflight check (src/preflight.ts), so a bad key fails before any request.
 */
export function readSigningKey(pem: string, alg: SigningAlgorithm): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    // Node's error code for a missing passphrase differs between OpenSSL versions; the PEM says it.
    const encrypted = /BEGIN ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem)
    throw new InputError(
      encrypted
        ? `'private-key' is encrypted: give the PEM private key unencrypted (store it as a secret)`
        : `'private-key' could not be read: give a PEM private key ("BEGIN PRIVATE KEY", or PKCS#1 "BEGIN RSA PRIVATE KEY" / SEC1 "BEGIN EC PRIVATE KEY"), with its line breaks`,
    )
  }
  const need = KEY_FOR[alg]
  const type = key.asymmetricKeyType ?? 'unknown'
  const curve = key.asymmetricKeyDetails?.namedCurve
  if (!need.types.includes(type) || (need.curve && curve !== need.curve)) {
    const given = type === 'ec' ? `an EC ${curve ?? ''} key`.replace('  ', ' ') : (KEY_NAMES[type] ?? `a ${type} key`)
    throw new InputError(`'private-key' is ${given}, but 'signing-algorithm' ${alg} needs ${need.text}: change one of them`)
  }
  // jose refuses a short RSA modulus only when signing; said here, the preflight catches it too.
  if ((key.asymmetricKeyDetails?.modulusLength ?? Infinity) < 2048) throw cannotSign(alg)
  return key
}
