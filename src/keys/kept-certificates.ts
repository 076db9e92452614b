// Each key's certificate, made the first time it is asked for and kept where the keys are: an ECDSA
// signature is never made twice alike, so a certificate made again would have another fingerprint.
import type { SigningAlg } from '../config/types.js'
import { createKeyCertificate } from './certificate.js'
import type { LoadedKey } from './key-material.js'
import type { KeyStorage } from './key-storage.js'
import type { KeyGeneration } from './rotation.js'

export interface KeptCertificates {
  /** the certificate of `kid`, a key of `generation` */
  of(generation: KeyGeneration, kid: string, alg: SigningAlg, commonName: string): Promise<string>
  /** forgets a key's certificate (its generation was forgotten) */
  forget(kid: string): void
}

export function keptCertificates(storage: KeyStorage, loadKey: (kid: string, alg: SigningAlg) => Promise<LoadedKey>): KeptCertificates {
  const pending = new Map<string, Promise<string>>()

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

  return {
    of(generation, kid, alg, commonName) {
      let certificate = pending.get(kid)
      if (certificate === undefined) {
        certificate = keptOrMade(generation, kid, alg, commonName)
        pending.set(kid, certificate)
        certificate.catch(() => pending.delete(kid))
      }
      return certificate
    },
    forget: (kid) => void pending.delete(kid),
  }
}
