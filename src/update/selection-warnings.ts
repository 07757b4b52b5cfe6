import type { SelectionNotes } from './tracks/selection.js'

const SHOWN = 5

function list(items: readonly string[]): string {
  const shown = items.slice(0, SHOWN).join(', ')
  return items.length > SHOWN ? `${shown} and ${items.length - SHOWN} more` : shown
}

/**
 * What the run did not publish as it read it, one line per image and kind, for the CLI's stderr
 * and the action's warning annotations: tags held back as dates or build numbers, and the
 * legacy `v` keys kept as aliases.
 */
export function selectionWarnings(
  image: string,
  notes: SelectionNotes,
  aliases: ReadonlyMap<string, string>
): string[] {
  const lines: string[] = []
  const { heldBack } = notes
  if (heldBack.tags.length > 0) {
    const others = heldBack.others.length > 0 ? heldBack.others.join(', ') : 'none'
    lines.push(
      `${image}: held back ${list(heldBack.tags)}: major ${list(heldBack.majors.map(String))} ` +
        `is far above the other majors (${others}), a date or build number read as a version; ` +
        `not published. Exclude such tags with tagPattern, or set allowedVersions to publish them`
    )
  }
  if (aliases.size > 0) {
    const renames = [...aliases].map(([alias, key]) => `${alias} → ${key}`)
    lines.push(
      `${image}: ${list(renames)} kept as ${aliases.size === 1 ? 'alias' : 'aliases'}; ` +
        `convert the entry to the new format to drop the aliases`
    )
  }
  return lines
}
