// What every command prints to stderr besides its own result.
import {
  formatPullsSaved,
  formatRequestCounts,
  type RequestCounts
} from '../registry/request-counts.js'
import { oneLine } from '../check/report.js'
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
