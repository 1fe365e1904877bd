/**
 * The independent authorization servers of scripts/interop, for the interop suites: each suite
 * starts its own on 127.0.0.1 and runs the bundled steps against it. Where a server cannot run
 * (no Debian Python or its packages: another OS, no root), the suite is not run and says so in its
 * name and on the console; under CI it fails instead, since .ci/run installs the packages.
 */
// @ts-expect-error: plain ESM helper without type declarations
import * as launch from '../../scripts/interop/launch.mjs'
import { basicCredential } from '../../src/oauth/client-auth.js'
import { expectNoLeak, runMain, runPost, type StepResult } from '../support/steps.js'

export type ServerName = 'authlib' | 'dot'

/** What reached the server: method, path (no query) and the status it answered. */
export interface SeenRequest {
  method: string
  path: string
  status: number
}

export interface InteropServer {
  url: string
  paths: { token: string; revocation: string; introspection: string }
  /** Requests the server answered, the tests' own introspection calls left out. */
  seen(): SeenRequest[]
  /** Forgets the requests seen so far. */
  reset(): void
  /** The server's own view of a token (RFC 7662), asked as the introspector client. */
  introspect(token: string): Promise<{ active: boolean; [k: string]: unknown }>
}

export interface Client {
  id: string
  secret: string
}

/** A client with nothing form-encoding would change. */
export const PLAIN: Client = { id: 'interop-plain', secret: 'plain-secret-0123456789' }
/** A secret full of characters that form-encoding changes (`~ + % & : / =`, a space, and `%41` that decodes). */
export const RESERVED: Client = { id: 'interop-reserved', secret: 'tl~sec+ret %41&:/= end' }
/** The client the tests introspect with. */
const INTROSPECTOR: Client = { id: 'interop-introspector', secret: 'introspector-secret-42' }

/** Everything that would expose a client's secret: the secret and its Basic credential in both forms. */
export const secretsOf = (c: Client): string[] => [c.secret, basicCredential(c.id, c.secret), basicCredential(c.id, c.secret, true)]

const inCi = () => !!process.env.CI && !['false', '0'].includes(process.env.CI)

/**
 * A describe block around a started `name` server; `body` reaches it through the getter. Missing
 * packages: a failing test under CI, else a skipped block whose name, and a console warning, say why.
 */
export function describeServer(name: ServerName, body: (server: () => InteropServer) => void): void {
  const reason: string | undefined = launch.missing(name)
  if (reason) {
    const message = `Interop suite '${name}' NOT RUN: ${reason}.`
    if (inCi()) {
      describe(`${name} server`, () => {
        test('is installed (CI must run every interop suite: .ci/run installs the packages)', () => {
          throw new Error(message)
        })
      })
      return
    }
    // Straight to stderr: Jest does not print the console of a file whose tests were all skipped.
    process.stderr.write(`\n⚠ ${message} Install them, or run .ci/run as root.\n`)
    describe.skip(`${name} server — NOT RUN: ${reason}`, () => body(() => ({}) as InteropServer))
    return
  }
  describe(`${name} server (${launch.versions(name)})`, () => {
    let started: { url: string; paths: InteropServer['paths']; requests: SeenRequest[]; close(): Promise<void> }
    const server: InteropServer = {
      get url() {
        return started.url
      },
      get paths() {
        return started.paths
      },
      seen: () => started.requests.filter((r) => r.path !== started.paths.introspection),
      reset: () => {
        started.requests.length = 0
      },
      introspect: async (token) => {
        const res = await fetch(`${started.url}${started.paths.introspection}`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${basicCredential(INTROSPECTOR.id, INTROSPECTOR.secret)}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ token }).toString(),
        })
        if (res.status !== 200) throw new Error(`introspection answered HTTP ${res.status}`)
        return (await res.json()) as { active: boolean }
      },
    }
    beforeAll(async () => {
      started = await launch.startServer(name, { clients: [PLAIN, RESERVED, INTROSPECTOR], introspector: INTROSPECTOR.id })
    })
    afterAll(() => started?.close())
    beforeEach(() => server.reset())
    body(() => server)
  })
}

/** The step exited with `code`; when not, the failure shows what the step said. */
export function expectExit(step: StepResult, code: number): void {
  if (step.code !== code) throw new Error(`the step exited ${step.code}, not ${code}; its log:\n${step.log}\n${step.stderr}`)
}

/**
 * The whole lease as a job sees it: main leases a token that the server's introspection calls
 * active, post revokes it and says `posted` (whether the server confirmed it, and why not), and the
 * server then calls it inactive. No secret in any step's output.
 */
export async function leaseAndRevoke(
  server: InteropServer,
  inputs: Record<string, string>,
  client: Client,
  posted: string,
): Promise<{ main: StepResult; post: StepResult; token: string }> {
  const main = await runMain({ inputs, debug: true })
  expectExit(main, 0)
  const token = main.outputs.token
  expect(main.outputs.revocation).toBe('scheduled')
  expect(await server.introspect(token)).toMatchObject({ active: true, client_id: client.id })

  const post = await runPost({ inputs, state: main.state, debug: true })
  expectExit(post, 0)
  expect(post.log.split('\n')).toContain(posted)
  expect(await server.introspect(token)).toEqual({ active: false })
  for (const step of [main, post]) expectNoLeak(step, [token, ...secretsOf(client)])
  return { main, post, token }
}
