/** Adapts @actions/core to the ActionsCore the steps take. */
import * as core from '@actions/core'
import type { ActionsCore } from './core.js'

export const actionsCore: ActionsCore = {
  getInput: (name) => core.getInput(name),
  getState: (name) => core.getState(name),
  setSecret: (value) => core.setSecret(value),
  setOutput: (name, value) => core.setOutput(name, value),
  saveState: (name, value) => core.saveState(name, value),
  exportVariable: (name, value) => core.exportVariable(name, value),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  setFailed: (message) => core.setFailed(message),
  appendSummary: async (markdown) => {
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write()
  },
}
