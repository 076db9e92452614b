// /_gatehouse/clock: read, set, advance and give back the server's clock; every expiry and timestamp follows it.
import { decodeJwt } from 'jose'
import t from 'tap'
import { createControllableClock } from '../../src/util/clock.js'
import { errorPageOf, fakeClock, fragmentOf, NOW, signIn, startAuthorize } from '../helpers/server.js'
import { BACKEND_BASIC, codeGrant, getUserinfo, IMPLICIT, implicitTokens, obtainCode, organizerRequest, postOAuth, postToken, refreshGrant } from '../helpers/tokens.js'
import { answer, buildControlledServer } from './helpers.js'

const NOW_S = NOW / 1000
const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

t.test('a controllable clock: an offset over its base, which keeps running', async (t) => {
  const base = fakeClock()
  const clock = createControllableClock(base)
  t.equal(clock.now(), NOW)
  clock.advance(5000)
  base.advance(1)
  t.equal(clock.now(), NOW + 6000)
  t.equal(clock.offset(), 5000)
  clock.set(0)
  t.equal(clock.now(), 0)
  base.advance(2)
  t.equal(clock.now(), 2000, 'runs on from where it was set')
  clock.useBase()
  t.equal(clock.now(), base.now())
})

t.test('read, advance, set (ISO 8601 or epoch seconds), back to real time', async (t) => {
  const { controls } = await buildControlledServer(t)
  t.strictSame(answer(await controls.get('clock')), { status: 200, body: { now: iso(NOW_S), epoch_seconds: NOW_S, offset_seconds: 0, real_time: true } })
  t.strictSame((await controls.post('clock', { advance_seconds: 3600 })).json(), { now: iso(NOW_S + 3600), epoch_seconds: NOW_S + 3600, offset_seconds: 3600, real_time: false })
  t.strictSame((await controls.post('clock', { advance_seconds: -7200 })).json().epoch_seconds, NOW_S - 3600)
  t.strictSame((await controls.post('clock', { now: '2030-01-01T00:00:00Z' })).json().now, '2030-01-01T00:00:00.000Z')
  t.strictSame((await controls.post('clock', { now: '2030-01-01T01:00:00+01:00' })).json().now, '2030-01-01T00:00:00.000Z')
  t.strictSame((await controls.post('clock', { now: 1_900_000_000 })).json().epoch_seconds, 1_900_000_000)
  t.strictSame((await controls.post('clock', { real_time: true })).json(), { now: iso(NOW_S), epoch_seconds: NOW_S, offset_seconds: 0, real_time: true })
})

t.test('malformed clock requests: 400 naming the field', async (t) => {
  const { controls } = await buildControlledServer(t)
  const cases: [unknown, string, string][] = [
    [{}, 'body', 'give exactly one of advance_seconds, now (ISO 8601 or seconds since the epoch) and real_time: true'],
    [{ advance_seconds: 1, now: 5 }, 'now', 'give exactly one of advance_seconds, now (ISO 8601 or seconds since the epoch) and real_time: true'],
    [{ advance_seconds: '60' }, 'advance_seconds', 'advance_seconds must be a whole number from -3153600000 to 3153600000'],
    [{ advance_seconds: 1.5 }, 'advance_seconds', 'advance_seconds must be a whole number from -3153600000 to 3153600000'],
    [{ advance_seconds: -3_000_000_000 }, 'advance_seconds', 'advance_seconds would take the clock before 1970 or past 9999'],
    [{ now: '2030-01-01' }, 'now', 'now must be an ISO 8601 time with a zone (e.g. 2030-01-01T00:00:00Z) or seconds since the epoch'],
    [{ now: 'tomorrow' }, 'now', 'now must be an ISO 8601 time with a zone (e.g. 2030-01-01T00:00:00Z) or seconds since the epoch'],
    [{ now: -1 }, 'now', 'now must be whole seconds since the epoch, from 0 to 253402300799, or an ISO 8601 time'],
    [{ real_time: false }, 'real_time', 'real_time must be true (it puts the clock back to real time)'],
    [{ speed: 2 }, 'speed', 'speed is not a known field (known: advance_seconds, now, real_time)'],
    ['fast', 'body', 'the body must be a JSON object, not string'],
  ]
  for (const [body, field, description] of cases) {
    t.strictSame(answer(await controls.post('clock', body)), { status: 400, body: { error: 'invalid_request', error_description: description, field } }, JSON.stringify(body))
  }
  t.equal((await controls.get('clock')).json().offset_seconds, 0, 'unchanged')
})

t.test('tokens are stamped by the moved clock; introspection and userinfo judge them by it', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.post('clock', { advance_seconds: 1000 })
  const cc = await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC })
  const token = cc.json().access_token as string
  t.equal(decodeJwt(token).iat, NOW_S + 1000)
  const introspect = () => postOAuth(app, '/oauth/introspect', { token }, { authorization: BACKEND_BASIC })
  t.equal((await introspect()).json().active, true)
  await controls.post('clock', { advance_seconds: 86400 })
  t.strictSame((await introspect()).json(), { active: false }, 'expired once the clock passed exp')
  await controls.post('clock', { real_time: true })
  t.equal((await introspect()).json().active, true, 'back in real time, before its exp again')

  const { accessToken } = await implicitTokens(app)
  t.equal((await getUserinfo(app, accessToken)).statusCode, 200)
  await controls.post('clock', { advance_seconds: 7201 })
  const expired = await getUserinfo(app, accessToken)
  t.equal(expired.statusCode, 401)
  t.equal(expired.json().error_description, 'the access token expired')
})

t.test('codes, interactions, sessions and refresh tokens expire by the moved clock', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  // a code lives 60 s
  const code = await obtainCode(app, organizerRequest({ scope: 'openid offline_access' }))
  await controls.post('clock', { advance_seconds: 61 })
  t.equal((await postToken(app, codeGrant(code))).json().error, 'invalid_grant')

  // an interaction lives 600 s
  const start = await startAuthorize(app, IMPLICIT)
  await controls.post('clock', { advance_seconds: 601 })
  const expired = await app.inject({ url: start.headers.location! })
  t.equal(expired.statusCode, 400)
  t.equal(errorPageOf(expired.body)?.description, 'this sign-in request has expired or was already completed')

  // a session lives 86400 s
  const { cookie } = await signIn(app, IMPLICIT)
  const silent = { ...IMPLICIT, prompt: 'none' }
  t.ok(fragmentOf((await startAuthorize(app, silent, cookie)).headers.location!).access_token)
  await controls.post('clock', { advance_seconds: 86401 })
  t.equal(fragmentOf((await startAuthorize(app, silent, cookie)).headers.location!).error, 'login_required')

  // a refresh token lives 30 days
  const fresh = await obtainCode(app, organizerRequest({ scope: 'openid offline_access' }))
  const { refresh_token: refreshToken } = (await postToken(app, codeGrant(fresh))).json()
  t.equal((await postToken(app, refreshGrant(refreshToken))).statusCode, 200)
  await controls.post('clock', { advance_seconds: 30 * 86400 + 1 })
  t.equal((await postToken(app, refreshGrant(refreshToken))).json().error, 'invalid_grant')
})
