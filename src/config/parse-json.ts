// JSON.parse with a line and column for syntax errors; V8's own messages vary by version and often omit the position.

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError'
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string
  ) {
    super(`line ${line}, column ${column}: ${reason}`)
  }
}

export function parseJson(text: string): unknown {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  try {
    return JSON.parse(source)
  } catch (error) {
    const found = locateSyntaxError(source)
    if (found) {
      const { line, column } = lineAndColumn(source, found.offset)
      throw new JsonSyntaxError(line, column, found.reason)
    }
    throw error
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

interface Located {
  offset: number
  reason: string
}

class Stop {
  constructor(readonly located: Located) {}
}

/** Walks the grammar of RFC 8259 only to find where it breaks; returns undefined if the text is valid. */
export function locateSyntaxError(text: string): Located | undefined {
  let pos = 0

  const found = (): string => (pos >= text.length ? 'end of file' : JSON.stringify(text[pos]))
  const failWith = (reason: string): never => {
    throw new Stop({ offset: pos, reason })
  }
  const fail = (expected: string): never => failWith(`expected ${expected}, found ${found()}`)
  const skipWhitespace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] as string)) pos++
  }
  const expect = (char: string, expected: string) => {
    if (text[pos] !== char) fail(expected)
    pos++
  }

  const string = () => {
    expect('"', 'a string in double quotes')
    for (;;) {
      if (pos >= text.length) fail('a closing double quote')
      const char = text[pos] as string
      if (char === '"') {
        pos++
        return
      }
      if (char < ' ') failWith(`control character ${found()} must be escaped inside a string`)
      if (char === '\\') {
        pos++
        const escape = text[pos]
        if (escape === 'u') {
          pos++
          for (let i = 0; i < 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[pos] ?? '')) fail('four hex digits after \\u')
            pos++
          }
          continue
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) fail('a valid escape after \\')
      }
      pos++
    }
  }

  const digits = (expected: string) => {
    if (!/[0-9]/.test(text[pos] ?? '')) fail(expected)
    while (/[0-9]/.test(text[pos] ?? '')) pos++
  }

  const number = () => {
    if (text[pos] === '-') pos++
    if (text[pos] === '0') pos++
    else digits('a digit')
    if (text[pos] === '.') {
      pos++
      digits('a digit after the decimal point')
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      pos++
      if (text[pos] === '+' || text[pos] === '-') pos++
      digits('a digit in the exponent')
    }
  }

  const literal = (word: string) => {
    for (const char of word) {
      if (text[pos] !== char) fail('a value')
      pos++
    }
  }

  const value = (): void => {
    skipWhitespace()
    const char = text[pos]
    if (char === '{') return object()
    if (char === '[') return array()
    if (char === '"') return string()
    if (char === '-' || /[0-9]/.test(char ?? '')) return number()
    if (char === 't') return literal('true')
    if (char === 'f') return literal('false')
    if (char === 'n') return literal('null')
    fail('a value')
  }

  const object = () => {
    pos++
    skipWhitespace()
    if (text[pos] === '}') {
      pos++
      return
    }
    for (;;) {
      skipWhitespace()
      if (text[pos] !== '"') fail('a property name in double quotes')
      string()
      skipWhitespace()
      expect(':', '":"')
      value()
      skipWhitespace()
      if (text[pos] === '}') {
        pos++
        return
      }
      expect(',', '"," or "}"')
    }
  }

  const array = () => {
    pos++
    skipWhitespace()
    if (text[pos] === ']') {
      pos++
      return
    }
    for (;;) {
      value()
      skipWhitespace()
      if (text[pos] === ']') {
        pos++
        return
      }
      expect(',', '"," or "]"')
    }
  }

  try {
    value()
    skipWhitespace()
    if (pos < text.length) fail('end of file')
    return undefined
  } catch (error) {
    // anything else (such as nesting too deep to recurse) leaves the parser's own message
    return error instanceof Stop ? error.located : undefined
  }
}
