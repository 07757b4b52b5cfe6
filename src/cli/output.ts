// What every command prints to stderr besides its own result.
import {
  formatPullsSaved,
  formatRequestCounts,
  type RequestCounts
} from '../registry/request-counts.js'
import { oneLine } from '../check/report.js'
import { refusalLines, type PublishedDigests } from '../check/published-digests.js'
import { printErr } from './print.js'

export function reportRequestCounts(counts: Record<string, RequestCounts>): void {
  for (const [host, hostCounts] of Object.entries(counts)) {
    printErr(formatRequestCounts(host, hostCounts) + '\n')
  }
}

export function reportPullsSaved(saved: Record<string, number>): void {
  for (const line of formatPullsSaved(saved)) printErr(line + '\n')
}

export function reportMissing(missing: string[]): void {
  for (const path of missing)
    printErr(oneLine(`nix-oci-hashes: ${path}: no such file or directory`) + '\n')
}

/** The published entries skipped because the flake refuses them, each with its path and rule. */
export function reportRefused(published: PublishedDigests | null): void {
  if (!published) return
  for (const line of refusalLines(published))
    printErr(oneLine(`nix-oci-hashes: warning: ${line}`) + '\n')
}
