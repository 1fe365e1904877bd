import { actionsCore } from '../actions-core.js'
import { main } from '../main.js'

await main({ core: actionsCore, env: process.env })
// A server that never closes a socket must not keep the step alive once its work is done.
process.exit()
