// Config-file tests: a config file in the test's own directory, and the ConfigError a load ends in.
import path from 'node:path'
import type { Test } from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load.js'

/** Writes a config file into t.testdir and returns its path; strings are written as they are, anything else as JSON. */
export function writeConfigFile(t: Test, content: unknown, name = 'gatehouse.json'): string {
  const dir = t.testdir({ [name]: typeof content === 'string' ? content : JSON.stringify(content, null, 2) })
  return path.join(dir, name)
}

/** The message of the ConfigError that loadConfig(env, argv) throws; throws if it succeeds or fails otherwise. */
export function configErrorOf(env: NodeJS.ProcessEnv, argv: string[]): string {
  try {
    loadConfig(env, argv)
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  throw new Error('expected a ConfigError')
}

/** Writes `content` as a config file and loads it: the file's path and the ConfigError message loading it gives. */
export function configFileErrorOf(t: Test, content: unknown): { file: string; message: string } {
  const file = writeConfigFile(t, content)
  return { file, message: configErrorOf({}, ['--config', file]) }
}
