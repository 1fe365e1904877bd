import { actionsCore } from '../actions-core.js'
import { post } from '../post.js'

await post({ core: actionsCore, env: process.env })
process.exit()
