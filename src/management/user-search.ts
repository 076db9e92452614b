// The part of Auth0's user search (search_engine v3, Lucene syntax) that Gatehouse answers from its
// indexes: exact terms on user_id, email and username, joined by AND or by OR.

import { ManagementError } from './errors.js'

export type SearchField = 'user_id' | 'email' | 'username'

export interface SearchTerm {
  field: SearchField
  value: string
}

export interface UserSearch {
  /** 'and': every term must match; 'or': any */
  operator: 'and' | 'or'
  terms: SearchTerm[]
}

const FIELDS: readonly SearchField[] = ['user_id', 'email', 'username']

// field:"quoted value" (\" and \\ escaped) or field:bare-value
const TERM = /^\s*([A-Za-z_.]+):(?:"((?:[^"\\]|\\.)*)"|([^\s"()*?]+))\s*/
const OPERATOR = /^(AND|OR)\s+/

export const invalidSearch = (message: string) => new ManagementError(400, `Invalid query: ${message}`, 'invalid_query')

/** Parses `q`; a query Gatehouse cannot answer exactly is refused, never answered approximately. */
export function parseUserSearch(q: string): UserSearch {
  const terms: SearchTerm[] = []
  const operators = new Set<'and' | 'or'>()
  let rest = q.trim()
  while (rest !== '') {
    const match = TERM.exec(rest)
    if (!match) {
      const expected = 'field:"value" with field user_id, email or username (no wildcards, ranges or groups)'
      throw invalidSearch(`${JSON.stringify(rest)}: Gatehouse searches exact terms only, as ${expected}`)
    }
    const field = match[1]!
    if (!(FIELDS as readonly string[]).includes(field)) {
      throw invalidSearch(`Gatehouse cannot search by ${field}; search by user_id, email or username`)
    }
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!
    terms.push({ field: field as SearchField, value })
    rest = rest.slice(match[0].length)
    if (rest === '') break
    const op = OPERATOR.exec(rest)
    if (!op) throw invalidSearch('join terms with AND or OR')
    operators.add(op[1] === 'AND' ? 'and' : 'or')
    rest = rest.slice(op[0].length)
    if (rest === '') throw invalidSearch(`${op[1]} must be followed by a term`)
  }
  if (terms.length === 0) throw invalidSearch('the query is empty')
  if (operators.size > 1) throw invalidSearch('use AND or OR, not both')
  return { operator: operators.has('or') ? 'or' : 'and', terms }
}
