/**
 * For unit tests whose servers are nock answers: each test runs with real connections refused,
 * so a request nobody answered fails instead of leaving the machine, and must use every answer
 * it set up, so a request the code should have sent and did not fails the test.
 */
import nock from 'nock'

/** Registers the beforeEach/afterEach pair; call once at the top level of a test file (or a describe). */
export function offlineWithNock() {
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([])
    nock.cleanAll()
    nock.enableNetConnect()
  })
}
