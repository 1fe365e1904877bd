// The post step (action.yml runs.post). Its code is in the bundle both steps share; see scripts/build.mjs.
import { runPost } from '../lib/index.js'
await runPost()
