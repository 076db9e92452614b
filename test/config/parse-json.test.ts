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
  const cases: [string, string][] = [
    ['{"a": }', 'line 1, column 7: expected a value, found "}"'],
    ['{"a" 1}', 'line 1, column 6: expected ":", found "1"'],
    ['{\n  "a": 1\n  "b": 2\n}', 'line 3, column 3: expected "," or "}", found "\\""'],
    ['[1, 2', 'line 1, column 6: expected "," or "]", found end of file'],
    ["{'a': 1}", 'line 1, column 2: expected a property name in double quotes, found "\'"'],
    ['[01]', 'line 1, column 3: expected "," or "]", found "1"'],
    ['[1.]', 'line 1, column 4: expected a digit after the decimal point, found "]"'],
    ['[tru]', 'line 1, column 5: expected a value, found "]"'],
    ['"a\\x"', 'line 1, column 4: expected a valid escape after \\, found "x"'],
    ['"\\u12g4"', 'line 1, column 6: expected four hex digits after \\u, found "g"'],
    ['"a\nb"', 'line 1, column 3: control character "\\n" must be escaped inside a string'],
    ['"open', 'line 1, column 6: expected a closing double quote, found end of file'],
    ['{} {}', 'line 1, column 4: expected end of file, found "{"'],
  ]
  for (const [text, message] of cases) t.equal(syntaxError(text), message, JSON.stringify(text))
})
