import t from 'tap'
import { JsonSyntaxError, locateSyntaxError, parseJson } from '../../src/config/parse-json.js'

function syntaxError(text: string): string {
  try {
    parseJson(text)
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.message
    throw error
  }
  throw new Error('expected a JsonSyntaxError')
}

t.test('valid JSON parses as JSON.parse does, and the locator finds nothing', async (t) => {
  const samples = ['{}', '[]', '0', '-1.5e+3', '"\\u00e9\\n"', ' { "a" : [ true , false , null ] } ', '[{"b":{}},[]]']
  for (const text of samples) {
    t.same(parseJson(text), JSON.parse(text), text)
    t.equal(locateSyntaxError(text), undefined, text)
  }
})

t.test('syntax errors come with line, column and what was expected', async (t) => {
  t.equal(syntaxError('{"a": }'), 'line 1, column 7: expected a value, found "}"')
  t.equal(syntaxError('{"a" 1}'), 'line 1, column 6: expected ":", found "1"')
  t.equal(syntaxError('{\n  "a": 1\n  "b": 2\n}'), 'line 3, column 3: expected "," or "}", found "\\""')
  t.equal(syntaxError('[1, 2'), 'line 1, column 6: expected "," or "]", found end of file')
  t.equal(syntaxError("{'a': 1}"), 'line 1, column 2: expected a property name in double quotes, found "\'"')
  t.equal(syntaxError('[01]'), 'line 1, column 3: expected "," or "]", found "1"')
  t.equal(syntaxError('[1.]'), 'line 1, column 4: expected a digit after the decimal point, found "]"')
  t.equal(syntaxError('[tru]'), 'line 1, column 5: expected a value, found "]"')
  t.equal(syntaxError('"a\\x"'), 'line 1, column 4: expected a valid escape after \\, found "x"')
  t.equal(syntaxError('"\\u12g4"'), 'line 1, column 6: expected four hex digits after \\u, found "g"')
  t.equal(syntaxError('"a\nb"'), 'line 1, column 3: control character "\\n" must be escaped inside a string')
  t.equal(syntaxError('"open'), 'line 1, column 6: expected a closing double quote, found end of file')
  t.equal(syntaxError('{} {}'), 'line 1, column 4: expected end of file, found "{"')
})
