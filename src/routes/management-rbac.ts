// The Management API's RBAC routes (roles, their permissions and users; a user's roles and
// permissions), added to the /api/v2 scope by routes/management-api.ts, whose hook checks the token.
import type { FastifyInstance, FastifyRequest } from 'fastify'
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

export function rbacRoutes(api: FastifyInstance, deps: ManagementDeps): void {
  api.get('/roles', anyOf('read:roles'), (request) => listRoles(deps, request.query))
  api.post('/roles', anyOf('create:roles'), (request) => createRole(deps, request.body))
  api.get('/roles/:id', anyOf('read:roles'), (request: IdRequest) => getRole(deps, request.params.id))
  api.patch('/roles/:id', anyOf('update:roles'), (request: IdRequest) => updateRole(deps, request.params.id, request.body))
  api.delete('/roles/:id', anyOf('delete:roles'), async (request: IdRequest) => {
    await deleteRole(deps, request.params.id)
    return EMPTY
  })

  api.get('/roles/:id/permissions', anyOf('read:roles'), (request: IdRequest) =>
    listRolePermissions(deps, request.params.id, request.query),
  )
  api.post('/roles/:id/permissions', anyOf('update:roles'), async (request: IdRequest, reply) => {
    await addRolePermissions(deps, request.params.id, request.body)
    return reply.code(201).send(EMPTY)
  })
  api.delete('/roles/:id/permissions', anyOf('update:roles'), async (request: IdRequest, reply) => {
    await removeRolePermissions(deps, request.params.id, request.body)
    return reply.code(204).send()
  })

  api.get('/roles/:id/users', allOf('read:users', 'read:roles'), (request: IdRequest) => listRoleUsers(deps, request.params.id, request.query))
  api.post('/roles/:id/users', anyOf('update:roles'), async (request: IdRequest) => {
    await addRoleUsers(deps, request.params.id, request.body)
    return EMPTY
  })

  api.get('/users/:id/roles', allOf('read:users', 'read:roles'), (request: IdRequest) => listUserRoles(deps, request.params.id, request.query))
  api.post('/users/:id/roles', anyOf('update:users'), async (request: IdRequest, reply) => {
    await addUserRoles(deps, request.params.id, request.body)
    return reply.code(204).send()
  })
  api.delete('/users/:id/roles', anyOf('update:users'), async (request: IdRequest, reply) => {
    await removeUserRoles(deps, request.params.id, request.body)
    return reply.code(204).send()
  })

  api.get('/users/:id/permissions', anyOf('read:users'), (request: IdRequest) => listUserPermissions(deps, request.params.id, request.query))
  api.post('/users/:id/permissions', anyOf('update:users'), async (request: IdRequest, reply) => {
    await addUserPermissions(deps, request.params.id, request.body)
    return reply.code(201).send(EMPTY)
  })
  api.delete('/users/:id/permissions', anyOf('update:users'), async (request: IdRequest, reply) => {
    await removeUserPermissions(deps, request.params.id, request.body)
    return reply.code(204).send()
  })
}
