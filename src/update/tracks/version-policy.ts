/**
 * Which versions an image publishes beyond its tag pattern and minVersion: the user's
 * `allowedVersions` range, and the guard against tags that only look like versions. Choosing and
 * keeping a track both ask it, so a key chosen once is not dropped by a stricter reading later.
 */
import semver from 'semver'
import type { Version, VersionPart } from './versions.js'

/** The range as semver reads it, or null when it is not a range in semver's syntax. */
export function parseRange(text: string): semver.Range | null {
  try {
    return new semver.Range(text)
  } catch {
    return null
  }
}

/**
 * `major.minor.patch` for semver: further parts (LinuxServer's and Plex's build numbers) are not
 * part of it, and a missing minor or patch counts as 0, so a floating `16` is `16.0.0`.
 */
export function semverOf(parts: readonly VersionPart[]): string {
  const [major, minor, patch] = parts
  const number = (part: VersionPart): number => (typeof part === 'number' ? part : 0)
  return `${number(major)}.${number(minor)}.${number(patch)}`
}

export function isAllowed(parts: readonly VersionPart[], range: semver.Range | undefined): boolean {
  return range === undefined || range.test(semverOf(parts))
}

/**
 * No project numbers a major in the tens of millions: 8 to 10 digits are a date (`20251215`) or a
 * date and hour (`2025121505`, Jellyfin's weekly unstable builds) or a CI build number.
 */
const DATE_LIKE = 10_000_000
/** 4-digit majors from 2000 to 2099 read as calendar years (Home Assistant's `2025.1`). */
const isCalendarYear = (major: number): boolean => major >= 2000 && major <= 2099

/**
 * Majors that are a date or build number read as a version: 8 or more digits, or at least 1000
 * and more than ten times the next lower genuine major (ignoring 0, so a project that went from
 * `0.118` to calendar versions is not flagged, and calendar years themselves never are).
 * Such a major would otherwise become a new track, and a new pull request, with every build.
 */
export function outlierMajors(majors: Iterable<number>): Set<number> {
  const outliers = new Set<number>()
  let highestGenuine = 0
  for (const major of [...new Set(majors)].sort((a, b) => a - b)) {
    const farAbove =
      major >= DATE_LIKE ||
      (major >= 1000 && !isCalendarYear(major) && highestGenuine > 0 && major > 10 * highestGenuine)
    if (farAbove) outliers.add(major)
    else highestGenuine = major
  }
  return outliers
}

/** Tags held back because their major is an outlier; the highest first. */
export interface HeldBack {
  majors: number[]
  tags: string[]
  /** The genuine majors they were compared with. */
  others: number[]
}

export function holdBackOutliers(versions: Version[]): { kept: Version[]; heldBack: HeldBack } {
  const majors = versions.map((version) => version.parts[0] as number)
  const outliers = outlierMajors(majors)
  const heldBack: HeldBack = {
    majors: [...outliers].sort((a, b) => b - a),
    tags: versions.filter((v) => outliers.has(v.parts[0] as number)).map((v) => v.tag),
    others: [...new Set(majors)].filter((major) => !outliers.has(major)).sort((a, b) => a - b)
  }
  return { kept: versions.filter((v) => !outliers.has(v.parts[0] as number)), heldBack }
}
