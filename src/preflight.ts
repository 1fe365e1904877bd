/**
 * Checks that need no network but more than the inputs' text, run after parseConfig and before
 * any request: a private_key_jwt key that cannot sign, or a flow that needs the job's OIDC token
 * on a runner that offers none, fails at once — not after discovery or a first token request —
 * with a message that names the real problem, never showing the key.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { needsGithubOidc, oidcRequestEnv, tppKeylessMessage } from './github-oidc.js'
import { InputError, type Config, type SigningAlgorithm } from './inputs.js'
import { readSigningKey } from './oauth/assertion.js'

/** Throws the InputError the flow would otherwise meet halfway through. */
export function preflight(config: Config, env: NodeJS.ProcessEnv): void {
  if (config.privateKey) checkSigningKey(config.privateKey, config.signingAlgorithm)
  if (config.tls.cert && config.tls.key) checkClientCertificate(config.tls.cert, config.tls.key, config.tls.passphrase)
  if (!needsGithubOidc(config)) return
  try {
    oidcRequestEnv(env)
  } catch (err) {
    if (config.provider !== 'venafi-tpp' || !(err instanceof InputError)) throw err
    throw new InputError(tppKeylessMessage(err.message))
  }
}

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'secp256k1' }

/**
 * What readSigningKey (the signer's own check) cannot say precisely: a certificate or a public key
 * given as the key, and keys Node reads but jose 6 will not sign with for the algorithm.
 */
function checkSigningKey(pem: string, alg: SigningAlgorithm): void {
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1])
  if (!labels.some((l) => l.endsWith('PRIVATE KEY'))) {
    if (labels.some((l) => l.endsWith('CERTIFICATE')))
      throw new InputError(
        `'private-key' is a certificate, not a private key: give the client's PEM private key (the certificate or its public key is what the server holds)`,
      )
    if (labels.some((l) => l.endsWith('PUBLIC KEY')))
      throw new InputError(`'private-key' is a public key: give the matching PEM private key (the public key is what the server holds)`)
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    readSigningKey(pem, alg) // says why: encrypted, or not a PEM private key
    return
  }
  const problem = keyProblem(key, alg)
  if (problem) throw new InputError(`'private-key' ${problem}`)
  readSigningKey(pem, alg)
}

const hashName = (h: string | undefined) => (h ?? 'sha1').replace(/^sha-?/i, 'SHA-')

function keyProblem(key: KeyObject, alg: SigningAlgorithm): string | undefined {
  const type = key.asymmetricKeyType
  const d = key.asymmetricKeyDetails ?? {}
  if (alg === 'EdDSA' && type === 'ed448')
    return `is an Ed448 key, but 'signing-algorithm' EdDSA signs with Ed25519 here (jose 6, RFC 8037 as most servers implement it): give an Ed25519 key`
  if (alg === 'ES256' && type === 'ec' && d.namedCurve !== 'prime256v1')
    return `is an EC key on curve ${CURVE_NAMES[d.namedCurve ?? ''] ?? d.namedCurve ?? 'unknown'}, but 'signing-algorithm' ES256 needs curve P-256 (RFC 7518 §3.4)`
  if ((type === 'rsa' || type === 'rsa-pss') && (d.modulusLength ?? 0) < 2048 && (alg === 'RS256' || alg === 'PS256'))
    return `is a ${d.modulusLength}-bit RSA key, but 'signing-algorithm' ${alg} needs 2048 bits or more (RFC 7518 §3.3)`
  if (alg === 'PS256' && type === 'rsa-pss') {
    // jose signs only with keys it can export as an RSA JWK: an RSASSA-PSS-only key never signs.
    const plain = `jose signs PS256 only with a plain RSA key ("BEGIN RSA PRIVATE KEY", or "BEGIN PRIVATE KEY" holding rsaEncryption)`
    const restricted = [d.hashAlgorithm, d.mgf1HashAlgorithm].some((h) => h && h !== 'sha256')
    return restricted
      ? `is an RSA-PSS key restricted to ${hashName(d.hashAlgorithm)} (MGF1 ${hashName(d.mgf1HashAlgorithm)}), but 'signing-algorithm' PS256 signs with SHA-256; and ${plain}`
      : `is an RSA-PSS key (RSASSA-PSS, not rsaEncryption): ${plain}`
  }
  return undefined
}

/** The mutual-TLS pair: a certificate, a key it reads (with the passphrase, if any), and the two matching; worded as src/http.ts words them. */
function checkClientCertificate(cert: string, pem: string, passphrase: string | undefined): void {
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(cert)
  } catch {
    throw new InputError(`Invalid input: 'client-certificate' could not be read: give the client certificate in PEM ("BEGIN CERTIFICATE").`)
  }
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem))
    throw new InputError(
      `Invalid input: 'client-key' is not a PEM private key ("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY" or "BEGIN EC PRIVATE KEY").`,
    )
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem', passphrase: passphrase ?? '' })
  } catch {
    const encrypted = /BEGIN ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem)
    const problem = encrypted
      ? passphrase
        ? `could not be decrypted: check 'client-key-passphrase'`
        : `is encrypted: give 'client-key-passphrase'`
      : 'could not be read: give the PEM private key with its line breaks'
    throw new InputError(`Invalid input: 'client-key' ${problem}.`)
  }
  if (!certificate.checkPrivateKey(key))
    throw new InputError(
      `Invalid input: 'client-key' is not the key of 'client-certificate' (their public keys differ): give the pair issued together.`,
    )
}
