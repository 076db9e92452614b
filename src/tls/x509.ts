// @peculiar/x509, with the Reflect polyfill its dependency injection (tsyringe) needs loaded first:
// every use of the library goes through this module, so the order cannot be got wrong elsewhere.
// Loaded on first use only: most starts make no certificate, and the library is large.

export type X509 = typeof import('@peculiar/x509')

export async function loadX509(): Promise<X509> {
  await import('reflect-metadata')
  return import('@peculiar/x509')
}
