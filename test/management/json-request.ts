// A Management API request with a JSON body whatever the method: Auth0's DELETE /users/{id}/roles and
// the like take one, which managementApi's delete does not send.
import type { FastifyInstance } from 'fastify'

export function jsonRequest(app: FastifyInstance, token: string, method: 'POST' | 'DELETE', path: string, body: unknown) {
  return app.inject({
    method,
    url: `/api/v2${path}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  })
}
