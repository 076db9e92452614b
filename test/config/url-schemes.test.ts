// Hardening: a URL written without its scheme ("localhost:3000/callback") is refused at start, naming the fix.
import t from 'tap'
import { isAbsoluteUrl, lacksScheme } from '../../src/config/formats.js'
import { configFileErrorOf } from '../helpers/config.js'

const spa = { client_id: 'organizer', name: 'Organizer', callbacks: ['http://localhost:3000/callback'] }

t.test('a callback without a scheme names the URL it probably meant', async (t) => {
  // Before: accepted, since the URL parser reads "localhost:" as a scheme.
  const { file, message } = configFileErrorOf(t, { clients: [{ ...spa, callbacks: ['localhost:3000/callback'] }] })
  t.equal(
    message,
    `${file}: clients[0].callbacks[0]: "localhost:3000/callback" has no scheme; did you mean "http://localhost:3000/callback"?`
  )
})

t.test('the same for allowed_logout_urls and web_origins', async (t) => {
  const logout = configFileErrorOf(t, { clients: [{ ...spa, allowed_logout_urls: ['app.example.com:8443/bye'] }] })
  t.equal(
    logout.message,
    `${logout.file}: clients[0].allowed_logout_urls[0]: "app.example.com:8443/bye" has no scheme; did you mean "https://app.example.com:8443/bye"?`
  )
  const origin = configFileErrorOf(t, { clients: [{ ...spa, web_origins: ['localhost:3000'] }] })
  t.equal(
    origin.message,
    `${origin.file}: clients[0].web_origins[0]: "localhost:3000" has no scheme; did you mean "http://localhost:3000"?`
  )
  const hostOnly = configFileErrorOf(t, { clients: [{ ...spa, callbacks: ['app.example.com/callback'] }] })
  t.equal(
    hostOnly.message,
    `${hostOnly.file}: clients[0].callbacks[0]: "app.example.com/callback" has no scheme; did you mean "https://app.example.com/callback"?`
  )
})

t.test('http(s) URLs need their "//"', async (t) => {
  // The URL parser would quietly read "http:/localhost:3000/cb" as http://localhost:3000/cb, which then never matches.
  const { file, message } = configFileErrorOf(t, { clients: [{ ...spa, callbacks: ['http:/localhost:3000/cb'] }] })
  t.equal(message, `${file}: clients[0].callbacks[0]: must be an absolute URL`)
})

t.test('what is still accepted', async (t) => {
  for (const ok of [
    'http://localhost:3000/callback',
    'https://app.example.com/cb?x=1',
    'com.example.app:/oauth2redirect',
    'com.example.app://callback',
    'myapp://callback',
    'urn:ietf:wg:oauth:2.0:oob'
  ]) {
    t.ok(isAbsoluteUrl(ok), ok)
    t.notOk(lacksScheme(ok), ok)
  }
  for (const bad of ['localhost:3000', 'localhost', '127.0.0.1:8080/cb', '[::1]:3000/cb', 'my-host:8080', 'a.example:443?x']) {
    t.ok(lacksScheme(bad), bad)
    t.notOk(isAbsoluteUrl(bad), bad)
  }
})
