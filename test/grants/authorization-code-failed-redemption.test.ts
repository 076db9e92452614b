// A refused redemption leaves the code usable: whoever merely sees a code cannot cancel it.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { BACKEND_BASIC, codeGrant, errorOf, obtainCode, organizerRequest, postToken, VERIFIER } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const refusals: [string, (code: string) => ReturnType<typeof postToken>, string][] = [
  ['a wrong verifier', (code) => postToken(app, codeGrant(code, { code_verifier: VERIFIER.replace(/^d/, 'e') })), 'code_verifier does not match the code_challenge'],
  ['a missing verifier', (code) => postToken(app, { grant_type: 'authorization_code', client_id: 'organizer', code, redirect_uri: CALLBACK }), 'missing code_verifier: the authorization request used PKCE'],
  ['another redirect_uri', (code) => postToken(app, codeGrant(code, { redirect_uri: `${CALLBACK}/other` })), 'redirect_uri does not match the one used in the authorization request'],
  ['another client', (code) => postToken(app, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: VERIFIER }, { authorization: BACKEND_BASIC }), 'the authorization code was issued to another client'],
]

for (const [name, attempt, description] of refusals) {
  t.test(`${name} is refused and the code still works for its client`, async (t) => {
    const code = await obtainCode(app, organizerRequest())
    t.strictSame(errorOf(await attempt(code)), { status: 400, error: 'invalid_grant', error_description: description })
    const res = await postToken(app, codeGrant(code))
    t.equal(res.statusCode, 200)
    t.type(res.json().access_token, 'string')
  })
}
