// The main step (action.yml runs.main). Its code is in the bundle both steps share; see scripts/build.mjs.
import { runMain } from '../lib/index.js'
await runMain()
