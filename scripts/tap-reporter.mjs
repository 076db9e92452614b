// tap reporter (package.json, tap.reporter): one line per test file as it finishes, the failures with
// their diagnostics, then a summary. Plain text, so it reads the same in a terminal, a pipe and CI.
// tap's own closing comments (`# { total: N, pass: N, fail: N }`, coverage) are passed through
// unchanged: .ci/run counts from that line. The whole TAP stream of the last run: `npx tap replay -R tap`.
// tap-parser is tap's own parser (a dependency of tap); if it cannot be loaded, tap prints raw TAP instead.
import { Transform } from 'node:stream'
import { Parser } from 'tap-parser'

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`

/** Diagnostics worth reading for a failed assertion, indented under it. */
function details(diag) {
  if (!diag || typeof diag !== 'object') return []
  const lines = []
  const at = diag.at && `${diag.at.fileName}:${diag.at.lineNumber}:${diag.at.columnNumber}`
  if (at) lines.push(`at ${at}`)
  if (diag.diff) lines.push(...String(diag.diff).trimEnd().split('\n'))
  else {
    for (const key of ['found', 'wanted', 'pattern', 'doesNotMatch', 'expired', 'signal', 'exitCode', 'message']) {
      if (key in diag) lines.push(`${key}: ${typeof diag[key] === 'string' ? diag[key] : JSON.stringify(diag[key])}`)
    }
  }
  if (diag.stack) lines.push('stack:', ...String(diag.stack).trimEnd().split('\n').slice(0, 8).map((l) => `  ${l}`))
  return lines.slice(0, 60)
}

export default class FileLinesReporter extends Transform {
  #parser = new Parser()
  #files = { pass: 0, fail: 0, skip: 0 }
  #failedFiles = []
  #started = Date.now()
  /** Assertion counts of the test files started, by name. */
  #stats = new Map()
  #reported = new Set()

  constructor() {
    super()
    this.#parser.on('child', (file) => {
      const stats = this.#watch(file)
      this.#stats.set(file.name, stats)
      // A file is reported as soon as its subtests end: the parser emits the file's own result only
      // once the next line arrives, which for the last file is after the coverage report.
      file.on('complete', () => {
        const res = file.closingTestPoint
        if (res && !res.skip && (res.ok || stats.failures.length)) this.#fileDone(res, stats)
      })
    })
    // The rest (a crash before any failed assertion, a skipped file) waits for that result, whose
    // diagnostics carry the exit code and signal.
    this.#parser.on('assert', (res) => {
      if (!this.#reported.has(res.name)) this.#fileDone(res, this.#stats.get(res.name) ?? this.#watch(null))
    })
    this.#parser.on('comment', (line) => {
      // the runner's own comments (`# { total ... }`, `# time=`, coverage); file names come in results
      if (!line.startsWith('# Subtest:')) this.push(line)
    })
    this.#parser.on('extra', (text) => this.push(text))
    this.#parser.on('bailout', (reason) => this.push(`Bail out! ${reason}\n`))
    this.#parser.on('complete', (results) => this.#summary(results))
  }

  /** Leaf assertions of one test file, counted and, when failed, kept for the report. */
  #watch(file) {
    const stats = { pass: 0, fail: 0, skip: 0, todo: 0, failures: [] }
    const watch = (parser) => {
      if (!parser) return
      parser.on('child', watch)
      parser.on('assert', (res) => {
        if (res.closingTestPoint && res.ok) return
        if (res.skip) stats.skip++
        else if (res.todo) stats.todo++
        else if (res.ok) stats.pass++
        else if (!res.closingTestPoint || !stats.failures.some((f) => f.fullname.startsWith(res.fullname))) {
          // a failed subtest with no failed assertion inside (a throw, a timeout) counts as one failure
          stats.fail++
          stats.failures.push(res)
        }
      })
    }
    watch(file)
    return stats
  }

  #fileDone(file, stats) {
    this.#reported.add(file.name)
    this.#stats.delete(file.name)
    const { time, ok, skip: skipped } = file
    const counts = [
      stats.fail ? `${stats.fail} of ${stats.pass + stats.fail} failed` : plural(stats.pass, 'assert'),
      stats.skip && `${stats.skip} skipped`,
      stats.todo && `${stats.todo} todo`,
      time != null && seconds(time),
    ].filter(Boolean)
    const status = skipped ? 'skip' : ok ? 'ok' : 'FAIL'
    this.push(`${status.padEnd(4)}  ${file.name}  (${counts.join(', ')})\n`)
    if (skipped) this.#files.skip++
    else if (ok) this.#files.pass++
    else {
      this.#files.fail++
      this.#failedFiles.push(file.name)
      for (const res of stats.failures) {
        this.push(`      not ok - ${res.fullname.slice(file.name.length).replace(/^ > /, '')}\n`)
        for (const line of details(res.diag)) this.push(`        ${line}\n`)
      }
      const { exitCode, signal } = file.diag ?? {}
      if (signal || !stats.failures.length) {
        this.push(`      the test process ended with exit code ${exitCode ?? '?'}${signal ? `, signal ${signal}` : ''}\n`)
      }
    }
  }

  #summary(results) {
    const files = this.#files
    const total = files.pass + files.fail + files.skip
    // no test file at all is not a pass
    const ok = results.ok && total > 0
    this.push('\n')
    if (this.#failedFiles.length) this.push(`Failed:\n${this.#failedFiles.map((f) => `  ${f}\n`).join('')}`)
    const skipped = files.skip ? `, ${files.skip} skipped` : ''
    const time = seconds(Date.now() - this.#started)
    this.push(`${plural(total, 'test file')}: ${files.pass} passed, ${files.fail} failed${skipped} (${time}); ${ok ? 'OK' : 'NOT OK'}\n`)
    if (!ok) this.push('Full TAP output of this run: npx tap replay -R tap\n')
  }

  _transform(chunk, _encoding, done) {
    this.#parser.write(chunk)
    done()
  }

  _flush(done) {
    this.#parser.end()
    done()
  }
}
