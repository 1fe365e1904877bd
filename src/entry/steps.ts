/**
 * The one bundle both steps share (dist/lib/index.js): dist/main/index.js and dist/post/index.js
 * are two-line files that import it and run their step, so a job parses one copy of the code.
 */
import { actionsCore } from '../actions-core.js'
import { main } from '../main.js'
import { post } from '../post.js'

const runtime = () => ({ core: actionsCore, env: process.env })

export async function runMain(): Promise<void> {
  await main(runtime())
  // A server that never closes a socket must not keep the step alive once its work is done.
  process.exit()
}

export async function runPost(): Promise<void> {
  await post(runtime())
  process.exit()
}
