// The version reports name (SARIF's tool.driver, `--version`): package.json's, inlined by the
// bundler, so the published dist/ cannot disagree with the package it came from.
import packageJson from '../../package.json' with { type: 'json' }

export const TOOL_NAME = 'nix-oci-hashes'
export const TOOL_VERSION: string = packageJson.version
