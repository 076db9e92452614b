// The config file's RBAC meaning checks, run by config/schema.ts checkTenant: role names are unique,
// users name roles that exist, and every permission is a scope an API in resource_servers defines.

import type { ConfigIssue } from '../config/schema.js'
import type { Permission, Tenant } from '../config/types.js'

function checkPermission(tenant: Tenant, p: Permission, at: string): ConfigIssue | undefined {
  const api = tenant.resource_servers.find((r) => r.identifier === p.resource_server_identifier)
  if (api === undefined) {
    return {
      path: `${at}.resource_server_identifier`,
      message: `no resource server ${JSON.stringify(p.resource_server_identifier)} in resource_servers`,
    }
  }
  if (!api.scopes.some((s) => s.value === p.permission_name)) {
    return {
      path: `${at}.permission_name`,
      message: `${JSON.stringify(p.permission_name)} is not a scope of resource server ${JSON.stringify(api.identifier)}`,
    }
  }
  return undefined
}

function checkPermissions(tenant: Tenant, permissions: readonly Permission[] | undefined, at: string): ConfigIssue | undefined {
  for (const [j, p] of (permissions ?? []).entries()) {
    const issue = checkPermission(tenant, p, `${at}.permissions[${j}]`)
    if (issue) return issue
  }
  return undefined
}

/** The first RBAC problem in the tenant, if any. */
export function checkAccess(tenant: Tenant): ConfigIssue | undefined {
  const roles = tenant.roles ?? []
  const firstWithName = new Map<string, number>()
  for (const [i, role] of roles.entries()) {
    const first = firstWithName.get(role.name)
    if (first !== undefined) return { path: `roles[${i}].name`, message: `${JSON.stringify(role.name)} is already used by roles[${first}]` }
    firstWithName.set(role.name, i)
    const issue = checkPermissions(tenant, role.permissions, `roles[${i}]`)
    if (issue) return issue
  }
  for (const [i, user] of tenant.users.entries()) {
    for (const [j, name] of (user.roles ?? []).entries()) {
      if (!firstWithName.has(name)) return { path: `users[${i}].roles[${j}]`, message: `no role ${JSON.stringify(name)} in roles` }
    }
    const issue = checkPermissions(tenant, user.permissions, `users[${i}]`)
    if (issue) return issue
  }
  return undefined
}
