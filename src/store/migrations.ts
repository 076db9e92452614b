// Schema versions of the SQL adapters: each database records the version it was written with.

import { StoreError } from './errors.js'

export interface Migration {
  readonly version: number
  readonly statements: readonly string[]
}

/** The migrations a database at `current` still needs; a database from a newer Gatehouse is refused. */
export function migrationsAfter(current: number, migrations: readonly Migration[], description: string): Migration[] {
  const latest = migrations[migrations.length - 1]!.version
  if (current > latest) {
    throw new StoreError(
      `${description}: written by a newer Gatehouse (schema version ${current}, this one knows up to ${latest}); upgrade Gatehouse or use another database`,
    )
  }
  return migrations.filter((m) => m.version > current)
}
