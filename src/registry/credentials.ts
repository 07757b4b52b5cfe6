// What the registry client knows of a login, wherever it was found (auth files, helpers).
export interface Credentials {
  username: string
  password: string
  /**
   * An OAuth2 refresh token (a helper's `<token>` user, config.json's `identitytoken`) rather
   * than a password: it must be exchanged at the token service, never sent as Basic.
   */
  identityToken?: true
}

/** What the registry client needs: the credentials for one registry (or mirror) host. */
export interface CredentialLookup {
  get(registry: string): Credentials | undefined
}
