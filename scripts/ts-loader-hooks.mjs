// Module hooks for scripts/ts-loader.mjs; they run on Node's loader thread.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

const isTs = (url) => url.startsWith('file:') && /\.m?ts$/.test(new URL(url).pathname)

/**
 * NodeNext style: `import './x.js'` names the compiled file; fall back to the x.ts beside it. The
 * importer may be JavaScript too: t.mockImport() resolves test paths from inside @tapjs/mock, as
 * file: URLs with a query.
 */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (err) {
    const [, path, rest] = /^([^?#]*)(.*)$/s.exec(specifier)
    const ours = /^(\.{1,2}\/|\/|file:)/.test(path) && /\.m?js$/.test(path) && !path.includes('/node_modules/')
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !ours) throw err
    return nextResolve(`${path.slice(0, -2)}ts${rest}`, context)
  }
}

export async function load(url, context, nextLoad) {
  if (!isTs(url)) return nextLoad(url, context)
  const path = fileURLToPath(url)
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: path,
  })
  return { format: 'module', source: code, shortCircuit: true }
}
