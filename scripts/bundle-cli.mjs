// Bundles the CLI into one file: resolving and reading ~150 modules one by one is most of a cold start.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // pino loads parts of itself by file path (worker threads), better-sqlite3 is a native module and
  // pg requires its optional native binding: they stay normal dependencies. @peculiar/x509 is only
  // needed to make a development CA: left out, it costs a start nothing.
  external: ['pino', 'thread-stream', 'better-sqlite3', 'pg', '@peculiar/x509', 'reflect-metadata'],
  // Bundled CommonJS dependencies still call require().
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
})
