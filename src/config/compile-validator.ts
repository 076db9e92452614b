// Compiles the config file's validator with Ajv. The built CLI replaces this module with the same
// validator compiled ahead of time (scripts/bundle-cli.mjs): compiling takes a start about 100 ms.
import { Ajv, type AnySchema, type CodeOptions, type ValidateFunction } from 'ajv'
import { configFormats } from './formats.js'

/** A schema keyword of ours: the wording for any failure of the schema it sits on. */
export const MESSAGE = 'x-message'

/** The Ajv the config file is checked with; `code` as Ajv's option, for the ahead-of-time build. */
export function configAjv(code?: CodeOptions): Ajv {
  const ajv = new Ajv({ verbose: true, strict: true, ...(code === undefined ? {} : { code }) })
  for (const [name, format] of Object.entries(configFormats)) ajv.addFormat(name, format)
  ajv.addKeyword({ keyword: MESSAGE, schemaType: 'string' })
  return ajv
}

export function compileConfigValidator<T>(schema: AnySchema): ValidateFunction<T> {
  return configAjv().compile<T>(schema)
}
