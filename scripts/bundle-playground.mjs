// Bundles the playground's browser code into one readable script (not minified: a learner may read it in the browser).
import { build } from 'esbuild'

await build({
  entryPoints: ['src/playground/browser/main.ts'],
  outfile: 'dist/assets/playground.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['chrome109', 'firefox115', 'safari16'],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
})
