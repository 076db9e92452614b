// Runs the TypeScript tests as they are, without type-checking them again (`npm test`'s pretest has
// type-checked everything): esbuild transpiles each .ts module on its own, with an inline source map
// for stack traces and coverage. tap loads it in every test process (package.json, tap.node-arg).
// By hand: node --import ./scripts/ts-loader.mjs test/some.test.ts
import { register } from 'node:module'

register('./ts-loader-hooks.mjs', import.meta.url)
