// Loaded before each test file (CommonJS), so nock patches http before Jest snapshots it.
const nock = require('nock')
afterAll(() => {
  nock.cleanAll()
  nock.enableNetConnect()
  nock.restore()
})
