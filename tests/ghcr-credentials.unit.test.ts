// The action's token stands in for ghcr.io only, and only when no login for ghcr.io exists.
import { withGhcrToken } from '../src/action/ghcr-credentials.js'
import type { Credentials } from '../src/registry/credentials.js'

const TOKEN = 'ghs_workflowTokenForTests'

function lookup(found: Record<string, Credentials>) {
  const fallbacks: Credentials[] = []
  const credentials = withGhcrToken(
    { get: (registry) => found[registry] },
    TOKEN,
    'octocat',
    (login) => fallbacks.push(login)
  )
  return { credentials, fallbacks }
}

test('ghcr.io without a login gets the workflow token, announced once for masking', () => {
  const { credentials, fallbacks } = lookup({})
  expect(credentials.get('ghcr.io')).toEqual({ username: 'octocat', password: TOKEN })
  expect(credentials.get('ghcr.io')).toEqual({ username: 'octocat', password: TOKEN })
  expect(fallbacks).toHaveLength(1)
})

test('a docker login for ghcr.io wins, and other registries never see the token', () => {
  const own = { username: 'me', password: 'pat' }
  const { credentials, fallbacks } = lookup({ 'ghcr.io': own })
  expect(credentials.get('ghcr.io')).toBe(own)
  expect(credentials.get('docker.io')).toBeUndefined()
  expect(lookup({}).credentials.get('quay.io')).toBeUndefined()
  expect(fallbacks).toEqual([])
})
