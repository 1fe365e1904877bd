import { InputError, parseConfig, type RawInputs } from '../../src/inputs.js'

/** The message parseConfig refuses `raw` with; fails the test unless it throws an InputError. */
export function inputRefusal(raw: RawInputs): string {
  try {
    parseConfig(raw)
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return (err as Error).message
  }
  throw new Error('expected an InputError')
}
