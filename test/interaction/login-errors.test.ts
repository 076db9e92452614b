// The login page after an error: the cursor waits where the fix goes, and screen readers hear the message.
import t, { type Test } from 'tap'
import { buildTestServer, openLogin, postForm, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const base = { client_id: 'first-party', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 'st-1' }

/** The username and password inputs of a login page. */
function inputsOf(html: string) {
  const username = /<input id="username"[^>]*>/.exec(html)?.[0]
  const password = /<input id="password"[^>]*>/.exec(html)?.[0]
  return { username, password }
}

async function submit(t: Test, username: string, password: string) {
  const { app } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  return postForm(app, location, { csrf, username, password }, cookie)
}

t.test('before any error: focus on the username, nothing marked', async (t) => {
  const { app } = await buildTestServer(t)
  const page = await app.inject({ url: String((await startAuthorize(app, base)).headers.location) })
  t.strictSame(inputsOf(page.body), {
    username: '<input id="username" name="username" autocomplete="username" value="" required autofocus>',
    password: '<input id="password" type="password" name="password" autocomplete="current-password" required>',
  })
  t.notMatch(page.body, 'role="alert"')
})

t.test('a wrong password: focus on the password, both fields invalid and described by the alert', async (t) => {
  const res = await submit(t, 'alice', 'wrong')
  t.equal(res.statusCode, 400)
  t.match(res.body, '<p id="login-error" class="error" role="alert">Wrong username or password.</p>')
  t.strictSame(inputsOf(res.body), {
    username:
      '<input id="username" name="username" autocomplete="username" value="alice" required aria-invalid="true" aria-describedby="login-error">',
    password:
      '<input id="password" type="password" name="password" autocomplete="current-password" required aria-invalid="true" aria-describedby="login-error" autofocus>',
  })
})

t.test('an empty field: only it is invalid, and the cursor goes to the first empty one', async (t) => {
  const noPassword = await submit(t, 'alice', '')
  t.equal(noPassword.statusCode, 400)
  t.strictSame(inputsOf(noPassword.body), {
    username: '<input id="username" name="username" autocomplete="username" value="alice" required aria-describedby="login-error">',
    password:
      '<input id="password" type="password" name="password" autocomplete="current-password" required aria-invalid="true" aria-describedby="login-error" autofocus>',
  })
  const nothing = await submit(t, '  ', '')
  t.strictSame(inputsOf(nothing.body), {
    username:
      '<input id="username" name="username" autocomplete="username" value="  " required aria-invalid="true" aria-describedby="login-error" autofocus>',
    password:
      '<input id="password" type="password" name="password" autocomplete="current-password" required aria-invalid="true" aria-describedby="login-error">',
  })
  t.match(nothing.body, '<p id="login-error" class="error" role="alert">Enter your username or email and your password.</p>')
})
