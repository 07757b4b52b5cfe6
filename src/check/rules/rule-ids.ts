// The rules of the published-data lookup and the version sync check, apart from the scanner's.
export type LookupRuleId = 'unknown-image' | 'unknown-track' | 'refused-entry'

export type VersionRuleId = 'version-mismatch' | 'version-missing' | 'no-build-file'
