// tap puts its process-info hook into NODE_OPTIONS, so that every Node process and worker thread a
// test starts loads it too: an Action thread then takes about 220 ms to start instead of 50, and
// every CLI child process starts slower. What the hook records serves coverage only, so with
// coverage off (`npm test`) the processes the tests start go without it. tap loads this file in
// every test process (package.json, tap.node-arg).
if (process.env.TAP_DISABLE_COVERAGE === '1' && process.env.NODE_OPTIONS !== undefined) {
  const kept = process.env.NODE_OPTIONS.split(/\s+/).filter((option) => option !== '' && !option.includes('@tapjs/processinfo'))
  if (kept.length > 0) process.env.NODE_OPTIONS = kept.join(' ')
  else delete process.env.NODE_OPTIONS
}
