// Ajv's standalone code for the config file's validator. The build puts it in the CLI in place of
// compile-validator.ts; a test checks that it answers as the validator compiled at run time does.
import { _ } from 'ajv'
import standaloneModule from 'ajv/dist/standalone/index.js'
import { configAjv } from './compile-validator.js'
import { configFileSchema } from './schema.js'

// CommonJS; under NodeNext its default export arrives wrapped.
const standaloneCode = standaloneModule as unknown as typeof standaloneModule.default

/**
 * The validator as module source (ES or CommonJS), exporting it as `validate`; it takes the
 * formats from `require(formatsModule).configFormats` (formats.ts).
 */
export function configValidatorCode({ esm, formatsModule }: { esm: boolean; formatsModule: string }): string {
  const ajv = configAjv({ source: true, esm, formats: _`require(${formatsModule}).configFormats` })
  return standaloneCode(ajv, ajv.compile(configFileSchema))
}
