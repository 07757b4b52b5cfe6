// ESM throughout: @actions/* and @octokit/* ship only ES modules.
// Two projects, by what a suite needs: `unit` (tests/**/*.unit.test.ts) runs the sources with
// nothing but Node.js; `e2e` runs the bundled dist/ against the real registry, Nix, skopeo and
// the GitHub API stand-in, so its global setup bundles dist/ first.
const shared = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] }
}

export default {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/**/*.unit.test.ts']
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.unit\\.test\\.ts$'],
      globalSetup: './tests/global-setup.js'
    }
  ]
}
