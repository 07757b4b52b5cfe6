// Every file this project writes is replaced whole, so a reader (or a run killed half way) sees
// the old bytes or the new ones, never a truncated mix.
import { randomBytes } from 'node:crypto'
import { open, readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface AtomicWriteOptions {
  /** Permission bits of the new file (the replaced file's, to keep it executable or private). */
  mode?: number
  /** Owner of the new file: the replaced file's, where this process may give it (as root). */
  owner?: { uid: number; gid: number }
}

/**
 * Replaces `path` with `content` so a reader sees the old file or the new one, never a mix:
 * write a temporary file in the same folder, flush it to disk, rename it over the original.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {}
): Promise<void> {
  await removeAbandonedTemporaries(path)
  const mode = options.mode ?? 0o644
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  )
  const handle = await open(temporary, 'wx', mode)
  try {
    await handle.writeFile(content, typeof content === 'string' ? 'utf8' : undefined)
    // open() applies the umask; the replaced file's bits are wanted exactly.
    if (options.mode !== undefined) await handle.chmod(mode)
    const { owner } = options
    if (owner && (owner.uid !== process.getuid?.() || owner.gid !== process.getgid?.()))
      await handle.chown(owner.uid, owner.gid).catch((error: NodeJS.ErrnoException) => {
        // Only root may give a file away; anyone else keeps writing files as themselves.
        if (error.code !== 'EPERM') throw error
      })
    await handle.sync()
  } catch (error) {
    await handle.close()
    await unlink(temporary).catch(() => undefined)
    throw error
  }
  await handle.close()
  try {
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  }
}

/**
 * A run killed between writing its temporary file and renaming it leaves the temporary behind.
 * Those of processes that no longer exist are removed; a live writer's are left alone.
 */
async function removeAbandonedTemporaries(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`
  const folder = dirname(path)
  let names: string[]
  try {
    names = await readdir(folder)
  } catch {
    return
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const pid = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1]
    if (pid === undefined || isRunning(Number(pid))) continue
    await unlink(join(folder, name)).catch(() => undefined)
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
