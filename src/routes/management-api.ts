import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify'
import { authenticate, requireScope, type ManagementCaller } from '../management/auth.js'
import { createClientGrant, deleteClientGrant, listClientGrants, updateClientGrant } from '../management/client-grants.js'
import { createClient, deleteClient, getClient, listClients, rotateSecret, updateClient } from '../management/clients.js'
import { ManagementError } from '../management/errors.js'
import { deleteGrant, deleteGrantsByUser, listGrants } from '../management/grants.js'
import {
  createResourceServer,
  deleteResourceServer,
  getResourceServer,
  listResourceServers,
  updateResourceServer,
} from '../management/resource-servers.js'
import { requireAllScopes } from '../management/scopes.js'
import { getSigningKey, listSigningKeys, revokeSigningKey, ROTATE_SCOPES, rotateSigningKeys } from '../management/signing-keys.js'
import { createUser, getUser, listUsers, removeUser, updateUser, usersByEmail } from '../management/users.js'
import { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from '../store/errors.js'
import type { RouteOptions } from './deps.js'
import { rbacRoutes } from './management-rbac.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Management API routes: the token needs one of these scopes */
    managementScopes?: readonly string[]
    /** true: the token needs every one of managementScopes, not just one */
    managementScopesAll?: boolean
  }
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>

/**
 * Auth0's Management API v2 at <issuer>api/v2/: JSON in Auth0's shapes, behind a bearer token issued by
 * client_credentials for the Management API audience. The token is checked before the body is read.
 */
export const managementApiRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  await app.register(
    async (api) => {
      const callers = new WeakMap<FastifyRequest, ManagementCaller>()
      const callerOf = (request: FastifyRequest) => callers.get(request)!
      installErrorHandlers(api)
      api.addHook('onRequest', async (request, reply) => {
        reply.header('Cache-Control', 'no-store')
        const scopes = request.routeOptions.config.managementScopes
        if (scopes === undefined) return
        const caller = await authenticate(deps, request.headers.authorization)
        if (request.routeOptions.config.managementScopesAll === true) requireAllScopes(caller.scopes, scopes)
        else requireScope(caller, scopes)
        callers.set(request, caller)
      })
      const scopes = (...managementScopes: string[]) => ({ config: { managementScopes } })
      const showSecrets = (request: FastifyRequest) => callerOf(request).scopes.has('read:client_keys')

      api.get('/users', scopes('read:users'), (request) => listUsers(deps, request.query))
      api.post('/users', scopes('create:users'), async (request, reply) => reply.code(201).send(await createUser(deps, request.body)))
      api.get('/users/:id', scopes('read:users'), (request: IdRequest) => getUser(deps, request.params.id, request.query))
      api.patch('/users/:id', scopes('update:users'), (request: IdRequest) => updateUser(deps, request.params.id, request.body))
      api.delete('/users/:id', scopes('delete:users'), async (request: IdRequest, reply) => {
        await removeUser(deps, request.params.id)
        return reply.code(204).send()
      })
      api.get('/users-by-email', scopes('read:users'), (request) => usersByEmail(deps, request.query))

      api.get('/grants', scopes('read:grants'), (request) => listGrants(deps, request.query))
      api.delete('/grants', scopes('delete:grants'), async (request, reply) => {
        await deleteGrantsByUser(deps, request.query)
        return reply.code(204).send()
      })
      api.delete('/grants/:id', scopes('delete:grants'), async (request: IdRequest, reply) => {
        await deleteGrant(deps, request.params.id)
        return reply.code(204).send()
      })

      api.get('/clients', scopes('read:clients'), (request) => listClients(deps, request.query, showSecrets(request)))
      api.post('/clients', scopes('create:clients'), async (request, reply) => reply.code(201).send(await createClient(deps, request.body)))
      api.get('/clients/:id', scopes('read:clients'), (request: IdRequest) =>
        getClient(deps, request.params.id, request.query, showSecrets(request)),
      )
      api.patch('/clients/:id', scopes('update:clients'), (request: IdRequest) =>
        updateClient(deps, request.params.id, request.body, showSecrets(request)),
      )
      api.delete('/clients/:id', scopes('delete:clients'), async (request: IdRequest, reply) => {
        await deleteClient(deps, request.params.id)
        return reply.code(204).send()
      })
      api.post('/clients/:id/rotate-secret', scopes('update:client_keys', 'update:clients'), (request: IdRequest) =>
        rotateSecret(deps, request.params.id),
      )

      api.get('/resource-servers', scopes('read:resource_servers'), (request) => listResourceServers(deps, request.query))
      api.post('/resource-servers', scopes('create:resource_servers'), async (request, reply) =>
        reply.code(201).send(await createResourceServer(deps, request.body)),
      )
      api.get('/resource-servers/:id', scopes('read:resource_servers'), (request: IdRequest) => getResourceServer(deps, request.params.id))
      api.patch('/resource-servers/:id', scopes('update:resource_servers'), (request: IdRequest) =>
        updateResourceServer(deps, request.params.id, request.body),
      )
      api.delete('/resource-servers/:id', scopes('delete:resource_servers'), async (request: IdRequest, reply) => {
        await deleteResourceServer(deps, request.params.id)
        return reply.code(204).send()
      })

      api.get('/client-grants', scopes('read:client_grants'), (request) => listClientGrants(deps, request.query))
      api.post('/client-grants', scopes('create:client_grants'), async (request, reply) =>
        reply.code(201).send(await createClientGrant(deps, request.body)),
      )
      api.patch('/client-grants/:id', scopes('update:client_grants'), (request: IdRequest) =>
        updateClientGrant(deps, request.params.id, request.body),
      )
      api.delete('/client-grants/:id', scopes('delete:client_grants'), async (request: IdRequest, reply) => {
        await deleteClientGrant(deps, request.params.id)
        return reply.code(204).send()
      })

      api.get('/keys/signing', scopes('read:signing_keys'), () => listSigningKeys(deps))
      api.get('/keys/signing/:id', scopes('read:signing_keys'), (request: IdRequest) => getSigningKey(deps, request.params.id))
      api.post('/keys/signing/rotate', { config: { managementScopes: ROTATE_SCOPES, managementScopesAll: true } }, async (_request, reply) =>
        reply.code(201).send(await rotateSigningKeys(deps)),
      )
      api.put('/keys/signing/:id/revoke', scopes('update:signing_keys'), (request: IdRequest) => revokeSigningKey(deps, request.params.id))

      rbacRoutes(api, deps)
    },
    { prefix: '/api/v2' },
  )
}

// error_description may not hold '"' or '\' (RFC 6750 §3).
const invalidTokenChallenge = (message: string) => `Bearer error="invalid_token", error_description="${message.replace(/["\\]/g, "'")}"`

/** Every answer in Auth0's error shape; a 401 names the Bearer scheme. */
function installErrorHandlers(api: FastifyInstance): void {
  api.setErrorHandler((err: FastifyError | ManagementError | StoreUnavailableError, request, reply) => {
    const path = request.url.split('?')[0]
    if (err instanceof ManagementError) {
      request.log.info({ errorCode: err.errorCode }, `management: ${request.method} ${path}: ${err.statusCode} ${err.message}`)
      // RFC 6750 §3: a bare challenge without credentials, the error and why with a bad token.
      if (err.statusCode === 401) reply.header('WWW-Authenticate', err.errorCode === undefined ? 'Bearer' : invalidTokenChallenge(err.message))
      return reply.code(err.statusCode).send(err.toJSON())
    }
    if (err instanceof StoreUnavailableError) {
      request.log.warn(`management: ${path}: store unavailable: ${err.message}`)
      reply.header('Retry-After', String(STORE_RETRY_AFTER_SECONDS))
      const error = new ManagementError(503, 'The store is unavailable; try again shortly.', 'temporarily_unavailable')
      return reply.code(503).send(error.toJSON())
    }
    const status = err.statusCode ?? 500
    if (status < 500) {
      // Fastify's own refusals: a body that is not JSON, too large, or of another media type.
      const json = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      const error = new ManagementError(status, json ? 'Invalid request payload JSON format' : err.message, json ? 'invalid_body' : undefined)
      return reply.code(status).send(error.toJSON())
    }
    request.log.error({ err }, 'management: unexpected error')
    return reply.code(500).send(new ManagementError(500, 'Internal Server Error').toJSON())
  })
  api.setNotFoundHandler((_request, reply) => reply.code(404).send(new ManagementError(404, 'Not Found').toJSON()))
}
