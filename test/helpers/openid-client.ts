// openid-client against a Gatehouse listening on http://127.0.0.1.
import * as client from 'openid-client'
import { hiddenField } from './server.js'

/** Discovery for one client; http is allowed, and `execute` adds more openid-client options. */
export const discover = (
  issuer: string,
  clientId: string,
  auth: client.ClientAuth = client.None(),
  ...execute: ((config: client.Configuration) => void)[]
) => client.discovery(new URL(issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests, ...execute] })

/** A browser stand-in: carries Gatehouse's cookies, fills login (alice by default) and consent, stops when leaving Gatehouse. */
export function userAgent(issuer: string, login = { username: 'alice', password: 'wonderland' }) {
  const jar = new Map<string, string>()
  const pagesSeen: string[] = []
  const request = async (url: string, form?: Record<string, string>) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const res = await fetch(new URL(url, issuer), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { ...(cookie && { cookie }), ...(form && { 'content-type': 'application/x-www-form-urlencoded' }) },
      body: form && new URLSearchParams(form),
    })
    for (const set of res.headers.getSetCookie()) {
      const [name, value] = set.split(';')[0]!.split('=') as [string, string]
      if (name.startsWith('gatehouse_')) jar.set(name, value)
    }
    return res
  }
  const csrfAt = async (url: string) => hiddenField(await (await request(url)).text(), 'csrf')
  /** Follows redirects from `url` and returns the first location outside Gatehouse. */
  const run = async (url: URL, opts: { decision?: 'allow' | 'deny' } = {}) => {
    let res = await request(url.href)
    for (let hops = 0; hops < 10; hops++) {
      if (res.status !== 303 && res.status !== 302) throw new Error(`unexpected ${res.status}: ${await res.text()}`)
      const location = new URL(res.headers.get('location')!, issuer)
      if (!location.href.startsWith(issuer)) return location
      pagesSeen.push(location.pathname.split('/')[1]!)
      if (location.pathname.startsWith('/login/')) {
        const csrf = await csrfAt(location.href)
        res = await request(location.href, { csrf, ...login })
      } else if (location.pathname.startsWith('/consent/')) {
        const csrf = await csrfAt(location.href)
        res = await request(location.href, { csrf, decision: opts.decision ?? 'allow' })
      } else {
        res = await request(location.href)
      }
    }
    throw new Error('too many redirects')
  }
  return { run, request, pagesSeen }
}
