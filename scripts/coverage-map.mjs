// tap coverage map (package.json, tap.coverage-map): every test file is measured on src/ only, so the
// summary is about the server, not about test helpers or the bundled dist/cli.js.
export default () => ['src/**/*.ts']
