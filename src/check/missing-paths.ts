// discoverFiles calls every argument it cannot stat "missing"; one that exists but cannot be
// reached (a folder without search permission) is an unreadable file, not a usage error.
import { lstat } from 'node:fs/promises'
import { resolve } from 'node:path'

export interface UnreachablePath {
  argument: string
  message: string
}

export async function splitMissing(
  missing: readonly string[],
  cwd: string
): Promise<{ missing: string[]; unreachable: UnreachablePath[] }> {
  const absent: string[] = []
  const unreachable: UnreachablePath[] = []
  for (const argument of missing) {
    const code = await lstat(resolve(cwd, argument)).then(
      () => 'EXISTS',
      (error: NodeJS.ErrnoException) => error.code ?? 'ERROR'
    )
    if (code === 'ENOENT' || code === 'ENOTDIR') absent.push(argument)
    else unreachable.push({ argument, message: `cannot read it (${code}): not checked` })
  }
  return { missing: absent, unreachable }
}
