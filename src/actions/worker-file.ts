import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The worker's file: beside this module when it runs from its own file in dist/actions/, and in
 * dist/actions/ when it is bundled into dist/cli.js. Run from src/ (the tests' TypeScript loader),
 * each thread would start a loader of its own, which takes a second or more: the compiled worker
 * serves instead, without the loader, while it is newer than every source file of this folder.
 */
export function workerFile(): { url: URL; execArgv?: string[] } {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    const compiled = new URL('../../dist/actions/worker.js', here)
    return builtAfterSources(compiled, new URL('./', here)) ? { url: compiled, execArgv: [] } : { url: new URL('./worker.ts', here) }
  }
  const beside = new URL('./worker.js', here)
  return { url: existsSync(fileURLToPath(beside)) ? beside : new URL('./actions/worker.js', here) }
}

function builtAfterSources(compiled: URL, sources: URL): boolean {
  try {
    const built = statSync(compiled).mtimeMs
    return readdirSync(sources).every((name) => !name.endsWith('.ts') || statSync(new URL(name, sources)).mtimeMs <= built)
  } catch {
    return false
  }
}
