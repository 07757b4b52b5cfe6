// How our cost grows: the main workload's images copied 4× and 16× inside the registry's
// storage, and 1,000 small images warm. Phases that would overrun the time budget are skipped.
import { runOurs } from './measure.js'
import type { BenchContext, MainWorkload } from './main-workload.js'
import type { Growth } from './report.js'
import { cloneRepository, seedSmall } from './workload.js'

export async function runGrowth(
  { cli, options, remaining, log }: BenchContext,
  main: MainWorkload
): Promise<{ growth: Growth[]; thousand: Growth | undefined }> {
  const reg = main.bench.registry
  const { workspace, ours } = main
  const growth: Growth[] = []
  let clones = 1
  for (const factor of options.scale) {
    const label = `${factor}×`
    const list = main.images.flatMap((image) =>
      Array.from({ length: factor }, (_, copy) =>
        copy === 0 ? image : { ...image, repository: `${image.repository}-x${copy}` }
      )
    )
    const entry: Growth = { label, images: list.length, tags: main.totalTags * factor }
    growth.push(entry)
    if (factor === 1) {
      Object.assign(entry, { cold: main.rows[0], warm: main.rows[1] })
      continue
    }
    // A cold run costs about `factor` times the 1× one; skip what cannot finish in time.
    if (remaining() < (main.cold.wallMs + main.warm.wallMs) * factor * 1.5) {
      entry.skipped = 'over the time budget'
      continue
    }
    for (; clones < factor; clones++) {
      for (const image of main.images)
        cloneRepository(reg, image.repository, `${image.repository}-x${clones}`)
    }
    const folder = workspace(list, `x${factor}`)
    log(`ours at ${label}: ${list.length} images, cold`)
    const scaledCold = await ours(folder)
    log(`ours at ${label}: warm`)
    const scaledWarm = await ours(folder)
    entry.cold = { label, wallMs: scaledCold.wallMs, counts: scaledCold.counts }
    entry.warm = { label, wallMs: scaledWarm.wallMs, counts: scaledWarm.counts }
  }

  let thousand: Growth | undefined
  if (options.thousand > 0) {
    thousand = {
      label: `${options.thousand} small images, warm`,
      images: options.thousand,
      tags: 0
    }
    growth.push(thousand)
    // Warm cost per image as measured at the largest scale so far (small images cost less).
    const largest = growth.filter((g) => g.warm).pop()
    const estimate = (largest!.warm!.wallMs / largest!.images) * options.thousand * 1.5
    if (remaining() < estimate) {
      thousand.skipped = 'over the time budget'
    } else {
      const small = await seedSmall(reg, 'bench/small')
      const list = Array.from({ length: options.thousand }, (_, index) => ({
        ...small,
        repository: `bench/small-${String(index).padStart(4, '0')}`
      }))
      for (const image of list) cloneRepository(reg, small.repository, image.repository)
      thousand.tags = small.tags.length * list.length
      const folder = workspace(list, 'thousand')
      // Only the warm run is the question here, so the state it needs is prepared quickly.
      log(`ours at ${list.length} small images: preparing the state (untimed, 32 at once)`)
      await runOurs(cli, folder, Math.max(remaining(), 60_000), [
        ...main.bench.ourArgs,
        '--concurrency',
        '32',
        '--requests-per-registry',
        '32'
      ])
      log(`ours at ${list.length} small images: warm, defaults`)
      const bigWarm = await ours(folder)
      thousand.warm = { label: thousand.label, wallMs: bigWarm.wallMs, counts: bigWarm.counts }
    }
  }

  return { growth, thousand }
}
