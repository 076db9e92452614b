// tap puts its process-info hook into NODE_OPTIONS, so that every Node process and worker thread a
// test starts loads it too: an Action thread then takes about 220 ms to start instead of 50, and
// every CLI child process starts slower. What the hook records serves coverage only, so with
// coverage off (`npm test`) the processes the tests start go without it. tap loads this file in
// every test process (package.json, tap.node-arg).
const options = process.env.NODE_OPTIONS
if (process.env.TAP_DISABLE_COVERAGE === '1' && options !== undefined) {
  // only tap's own option goes (a file: URL, without spaces, which tap quotes); the rest stays as written
  const kept = options.replace(/(^|\s)"?--(?:import|loader)=[^"\s]*@tapjs\/processinfo[^"\s]*"?/g, '').trim()
  if (kept === '') delete process.env.NODE_OPTIONS
  else process.env.NODE_OPTIONS = kept
}
