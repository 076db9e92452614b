// The WWW-Authenticate value stays a valid quoted-string whatever the error message holds (RFC 6750 §3).
import t from 'tap'
import { InvalidRequest, InvalidToken } from '../../src/errors/oauth-errors.js'
import { bearerChallenge } from '../../src/userinfo/bearer.js'

t.equal(bearerChallenge(), 'Bearer realm="gatehouse"')
t.equal(
  bearerChallenge(new InvalidToken('the access token is not valid: "exp" claim timestamp check failed')),
  `Bearer realm="gatehouse", error="invalid_token", error_description="the access token is not valid: 'exp' claim timestamp check failed"`,
)
t.equal(
  bearerChallenge(new InvalidRequest('back\\slash and ünïcode')),
  `Bearer realm="gatehouse", error="invalid_request", error_description="back'slash and ?n?code"`,
)
