// Loading the Action files at start: CommonJS and ES modules, their own packages, and every way a
// file can be unusable, which stops Gatehouse with one line (exit code 2 from the CLI).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError } from '../../src/config/load.js'
import { buildServer } from '../../src/server.js'
import { runCli } from '../helpers/replicas.js'
import { signIn } from '../helpers/server.js'
import { testConfig } from '../helpers/tenant.js'
import { actionServer, credentialsExchange, fixture, IMPLICIT, postLogin, tokensOf } from './helpers.js'

const startWith = (...actions: Parameters<typeof postLogin>[]) =>
  buildServer(testConfig({ actions: actions.map((args) => postLogin(...args)) }), { logger: false })

t.test('a file that is not there', async (t) => {
  const script = fixture('no-such-action.js')
  await t.rejects(startWith(['gone', 'no-such-action.js']), new ConfigError(`${script}: Action "gone": file not found`))
})

t.test('a directory', async (t) => {
  const script = fixture('')
  await t.rejects(buildServer(testConfig({ actions: [{ ...postLogin('dir', 'x.js'), script }] }), { logger: false }), new ConfigError(`${script}: Action "dir": is a directory, not a file`))
})

t.test('a syntax error, with its line', async (t) => {
  const script = fixture('syntax-error.js')
  await t.rejects(startWith(['broken', 'syntax-error.js']), { name: 'ConfigError', message: `${script}: Action "broken": cannot load the file: syntax error at line 3: missing ) after argument list` })
})

t.test('top-level code that throws', async (t) => {
  const script = fixture('top-level-throw.js')
  await t.rejects(startWith(['unready', 'top-level-throw.js']), { name: 'ConfigError', message: `${script}: Action "unready": cannot load the file: Error: this Action needs its configuration` })
})

t.test("a file without its trigger's handler", async (t) => {
  await t.rejects(
    startWith(['typo', 'no-handler.js']),
    new ConfigError(`${fixture('no-handler.js')}: Action "typo": the file does not export onExecutePostLogin(event, api), which a post-login Action must`),
  )
  await t.rejects(
    buildServer(testConfig({ actions: [credentialsExchange('m2m', 'add-claims.js')] }), { logger: false }),
    new ConfigError(`${fixture('add-claims.js')}: Action "m2m": the file does not export onExecuteCredentialsExchange(event, api), which a credentials-exchange Action must`),
  )
})

t.test("the user's own packages, found from the Action's folder (CommonJS require and ES import)", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-actions-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const pkg = join(dir, 'node_modules', 'greeting-maker')
  await mkdir(pkg, { recursive: true })
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'greeting-maker', version: '1.0.0', main: 'index.js' }))
  await writeFile(join(pkg, 'index.js'), "exports.greet = (name) => `Hello, ${name}`\n")
  await writeFile(
    join(dir, 'greet.js'),
    "const { greet } = require('greeting-maker')\nexports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://gatehouse.test/greeting', greet(event.user.name)) }\n",
  )
  await writeFile(
    join(dir, 'greet.mjs'),
    "import maker from 'greeting-maker'\nexport async function onExecutePostLogin(event, api) { api.accessToken.setCustomClaim('https://gatehouse.test/greeting', maker.greet(event.user.nickname)) }\n",
  )
  const { app } = await actionServer(t, [
    { ...postLogin('cjs', 'x.js'), script: join(dir, 'greet.js') },
    { ...postLogin('esm', 'x.js'), script: join(dir, 'greet.mjs') },
  ])
  const { res } = await signIn(app, IMPLICIT)
  const { id, access } = tokensOf(res.headers.location!)
  t.equal(id['https://gatehouse.test/greeting'], 'Hello, Alice Liddell')
  t.equal(access['https://gatehouse.test/greeting'], 'Hello, alice')
})

t.test('the CLI: exit code 2 and one line naming the Action and its file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-actions-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const configFile = join(dir, 'gatehouse.json')
  await writeFile(join(dir, 'rules.js'), 'exports.onExecutePostLogn = async () => {}\n')
  await writeFile(configFile, JSON.stringify({ actions: [{ name: 'add-roles', trigger: 'post-login', script: './rules.js' }] }))
  const { code, stderr } = await runCli(['--config', configFile, '--port', '0', '--keys-dir', join(dir, 'keys')])
  t.equal(code, 2)
  t.equal(stderr, `gatehouse: ${join(dir, 'rules.js')}: Action "add-roles": the file does not export onExecutePostLogin(event, api), which a post-login Action must\n`)
})
