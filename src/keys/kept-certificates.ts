// Each key's certificate, made the first time it is asked for and kept where the keys are: an ECDSA
// signature is never made twice alike, so a certificate made again would have another fingerprint.
// Its other forms (PKCS #7, fingerprint) are kept too, so listing the keys does not parse them again.
import type { SigningAlg } from '../config/types.js'
import { certificateForms, createKeyCertificate, type CertificateForms } from './certificate.js'
import type { LoadedKey } from './key-material.js'
import type { KeyStorage } from './key-storage.js'
import type { KeyGeneration } from './rotation.js'

export interface KeptCertificates {
  /** the certificate of `kid`, a key of `generation` */
  of(generation: KeyGeneration, kid: string, alg: SigningAlg, commonName: string): Promise<string>
  /** the same certificate's PKCS #7 envelope and fingerprints */
  formsOf(generation: KeyGeneration, kid: string, alg: SigningAlg, commonName: string): Promise<CertificateForms>
  /** forgets a key's certificate (its generation was forgotten) */
  forget(kid: string): void
}

export function keptCertificates(storage: KeyStorage, loadKey: (kid: string, alg: SigningAlg) => Promise<LoadedKey>): KeptCertificates {
  const pems = new Map<string, Promise<string>>()
  const forms = new Map<string, Promise<CertificateForms>>()

  /** The promise kept under kid, made by `make` when there is none; a failed one is made again next time. */
  function kept<T>(map: Map<string, Promise<T>>, kid: string, make: () => Promise<T>): Promise<T> {
    let value = map.get(kid)
    if (value === undefined) {
      value = make()
      map.set(kid, value)
      value.catch(() => map.delete(kid))
    }
    return value
  }

  async function keptOrMade(generation: KeyGeneration, kid: string, alg: SigningAlg, commonName: string): Promise<string> {
    const stored = await storage.readCertificate(kid)
    if (stored !== undefined) return stored
    const key = await loadKey(kid, alg)
    const { privateKey } = key.signingKey
    const pem = await createKeyCertificate({ alg, kid, privateKey, publicJwk: key.publicJwk, commonName, notBefore: generation.created_at })
    // Another instance may have made one meanwhile: the first one stored is everyone's.
    if (await storage.createCertificate(kid, pem)) return pem
    return (await storage.readCertificate(kid)) ?? pem
  }

  const of: KeptCertificates['of'] = (generation, kid, alg, commonName) =>
    kept(pems, kid, () => keptOrMade(generation, kid, alg, commonName))

  return {
    of,
    formsOf: (generation, kid, alg, commonName) =>
      kept(forms, kid, async () => certificateForms(await of(generation, kid, alg, commonName))),
    forget(kid) {
      pems.delete(kid)
      forms.delete(kid)
    },
  }
}
