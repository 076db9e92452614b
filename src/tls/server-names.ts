// The names a development server certificate is valid for: this machine, and the issuer's host.
import type { X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'

/** A subject alternative name, in @peculiar/x509's terms. */
export interface ServerName {
  type: 'dns' | 'ip'
  value: string
}

// Clients reach a local Gatehouse by any of these.
const LOCAL_NAMES: readonly ServerName[] = [
  { type: 'dns', value: 'localhost' },
  { type: 'ip', value: '127.0.0.1' },
  { type: 'ip', value: '::1' },
]

/** localhost, 127.0.0.1 and ::1, then the issuer's host unless it is one of them. */
export function serverNames(issuer: string): ServerName[] {
  // The URL parser has lowercased, punycoded or canonicalized the host already; IPv6 comes in brackets.
  const host = new URL(issuer).hostname.replace(/^\[(.*)\]$/, '$1')
  const own: ServerName = { type: isIP(host) === 0 ? 'dns' : 'ip', value: host }
  const known = LOCAL_NAMES.some((name) => name.type === own.type && name.value === own.value)
  return known ? [...LOCAL_NAMES] : [...LOCAL_NAMES, own]
}

/** The first name the certificate is not valid for, if any (subject alternative names only, no wildcards). */
export function uncoveredName(cert: X509Certificate, names: readonly ServerName[]): string | undefined {
  return names.find((name) =>
    name.type === 'dns'
      ? cert.checkHost(name.value, { subject: 'never', wildcards: false }) === undefined
      : cert.checkIP(name.value) === undefined,
  )?.value
}

export function describeNames(names: readonly ServerName[]): string {
  return names.map((name) => name.value).join(', ')
}
