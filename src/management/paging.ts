// Auth0's offset paging: page (from 0) and per_page (50 unless given, at most 100); include_totals wraps
// the page as { start, limit, length, total, <name>: [...] }, otherwise the page is a plain array.

export const DEFAULT_PER_PAGE = 50

export interface PagingQuery {
  page?: number
  per_page?: number
  include_totals?: boolean
}

export interface Page {
  /** entries to skip */
  offset: number
  limit: number
  includeTotals: boolean
}

export function pageOf(query: PagingQuery): Page {
  const limit = query.per_page ?? DEFAULT_PER_PAGE
  return { offset: (query.page ?? 0) * limit, limit, includeTotals: query.include_totals === true }
}

export type Paged<T, K extends string> = T[] | ({ start: number; limit: number; length?: number; total: number } & Record<K, T[]>)

/**
 * What a list endpoint answers: the page alone, or with its totals under `name` (counted only then).
 * Auth0's role and permission lists leave `length` out of their totals: `withLength: false`.
 */
export async function pagedResponse<T, K extends string>(
  name: K,
  page: Page,
  items: T[],
  total: () => Promise<number>,
  { withLength = true }: { withLength?: boolean } = {},
): Promise<Paged<T, K>> {
  if (!page.includeTotals) return items
  const length = withLength ? { length: items.length } : {}
  return { start: page.offset, limit: page.limit, ...length, total: await total(), [name]: items } as Paged<T, K>
}
