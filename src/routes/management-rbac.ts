// The Management API's RBAC routes (roles, their permissions and users; a user's roles and
// permissions), added to the /api/v2 scope by routes/management-api.ts, whose hook checks the token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ManagementDeps } from '../management/deps.js'
import {
  addRolePermissions,
  addUserPermissions,
  listRolePermissions,
  listUserPermissions,
  removeRolePermissions,
  removeUserPermissions,
} from '../management/permissions.js'
import { addRoleUsers, addUserRoles, listRoleUsers, listUserRoles, removeUserRoles } from '../management/role-members.js'
import { createRole, deleteRole, getRole, listRoles, updateRole } from '../management/roles.js'

type IdRequest = FastifyRequest<{ Params: { id: string } }>

/** The token needs one of these scopes. */
const anyOf = (...managementScopes: string[]) => ({ config: { managementScopes } })
/** The token needs all of these scopes (Auth0 asks read:users and read:roles to read who has which role). */
const allOf = (...managementScopes: string[]) => ({ config: { managementScopes, managementScopesAll: true } })

// Auth0's answers: 200 with the role for POST /roles; 201 {} and 200 {} for some additions; 204 for the rest.
const EMPTY = {}

/** A handler that makes the change, then answers `status` with Auth0's empty body ({}, or none for 204). */
const answering =
  (status: 200 | 201 | 204, change: (request: IdRequest) => Promise<void>) =>
  async (request: IdRequest, reply: FastifyReply) => {
    await change(request)
    return status === 204 ? reply.code(204).send() : reply.code(status).send(EMPTY)
  }

export function rbacRoutes(api: FastifyInstance, deps: ManagementDeps): void {
  api.get('/roles', anyOf('read:roles'), (request) => listRoles(deps, request.query))
  api.post('/roles', anyOf('create:roles'), (request) => createRole(deps, request.body))
  api.get('/roles/:id', anyOf('read:roles'), (request: IdRequest) => getRole(deps, request.params.id))
  api.patch('/roles/:id', anyOf('update:roles'), (request: IdRequest) => updateRole(deps, request.params.id, request.body))
  api.delete('/roles/:id', anyOf('delete:roles'), answering(200, ({ params }) => deleteRole(deps, params.id)))

  api.get('/roles/:id/permissions', anyOf('read:roles'), (request: IdRequest) =>
    listRolePermissions(deps, request.params.id, request.query),
  )
  api.post('/roles/:id/permissions', anyOf('update:roles'), answering(201, ({ params, body }) => addRolePermissions(deps, params.id, body)))
  api.delete('/roles/:id/permissions', anyOf('update:roles'), answering(204, ({ params, body }) => removeRolePermissions(deps, params.id, body)))

  api.get('/roles/:id/users', allOf('read:users', 'read:roles'), (request: IdRequest) => listRoleUsers(deps, request.params.id, request.query))
  api.post('/roles/:id/users', anyOf('update:roles'), answering(200, ({ params, body }) => addRoleUsers(deps, params.id, body)))

  api.get('/users/:id/roles', allOf('read:users', 'read:roles'), (request: IdRequest) => listUserRoles(deps, request.params.id, request.query))
  api.post('/users/:id/roles', anyOf('update:users'), answering(204, ({ params, body }) => addUserRoles(deps, params.id, body)))
  api.delete('/users/:id/roles', anyOf('update:users'), answering(204, ({ params, body }) => removeUserRoles(deps, params.id, body)))

  api.get('/users/:id/permissions', anyOf('read:users'), (request: IdRequest) => listUserPermissions(deps, request.params.id, request.query))
  api.post('/users/:id/permissions', anyOf('update:users'), answering(201, ({ params, body }) => addUserPermissions(deps, params.id, body)))
  api.delete('/users/:id/permissions', anyOf('update:users'), answering(204, ({ params, body }) => removeUserPermissions(deps, params.id, body)))
}
