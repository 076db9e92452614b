// Bundles the CLI into one file: resolving and reading ~150 modules one by one is most of a cold start.
// The config file's validator goes in compiled ahead of time (Ajv's standalone code), in place of
// src/config/compile-validator.ts, which would compile it at every start.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
// tsc's output: `npm run build` and `npm test` run tsc first
import { MESSAGE } from '../dist/config/compile-validator.js'
import { configValidatorCode } from '../dist/config/validator-code.js'

const CONFIG_DIR = fileURLToPath(new URL('../src/config/', import.meta.url))
const COMPILE_VALIDATOR = path.join(CONFIG_DIR, 'compile-validator.ts')

let validatorReplaced = false

/** @type {import('esbuild').Plugin} */
const precompiledConfigValidator = {
  name: 'precompiled-config-validator',
  setup(build) {
    build.onLoad({ filter: /[\\/]compile-validator\.ts$/ }, (args) => {
      if (args.path !== COMPILE_VALIDATOR) return undefined
      validatorReplaced = true
      const code = configValidatorCode({ esm: true, formatsModule: './formats.js' })
      const exports = `export const MESSAGE = ${JSON.stringify(MESSAGE)}\nexport const compileConfigValidator = () => validate\n`
      return { contents: `${code}\n${exports}`, loader: 'js', resolveDir: CONFIG_DIR }
    })
  },
}

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
  plugins: [precompiledConfigValidator],
})
// a moved or renamed module would otherwise leave the CLI compiling the schema at every start again
if (!validatorReplaced) throw new Error(`bundle: ${COMPILE_VALIDATOR} was not part of the CLI; the config validator was not put in compiled`)
