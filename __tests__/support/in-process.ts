/** The main and post steps run in-process with a recording core (integration tests against real servers). */
import { main } from '../../src/main.js'
import { post } from '../../src/post.js'
import { type FakeCore, fakeCore } from './fake-core.js'

export async function mainStep(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<FakeCore> {
  const f = fakeCore(inputs)
  await main({ core: f.core, env })
  return f
}

export async function postStep(
  inputs: Record<string, string>,
  state: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): Promise<FakeCore> {
  const f = fakeCore(inputs, { state })
  await post({ core: f.core, env })
  return f
}
