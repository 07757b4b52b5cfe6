// Keeps the layout honest: no import cycle between modules in src/, and data flows one way
// between its folders. Each folder may import only from the folders listed for it.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

const ALLOWED = {
  common: [],
  registry: ['common'],
  update: ['common', 'registry'],
  check: ['common', 'registry'],
  action: ['common', 'registry', 'update', 'check'],
  cli: ['common', 'registry', 'update', 'check']
}

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : []
  })
const modules = walk('src')
const edges = new Map()
const problems = []
for (const file of modules) {
  const targets = [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map(
    (match) => join(dirname(file), match[1] + '.ts')
  )
  edges.set(file, targets)
  const from = relative('src', file).split('/')[0]
  if (!(from in ALLOWED)) problems.push(`${file}: src/${from} is not a known folder`)
  for (const target of targets) {
    const to = relative('src', target).split('/')[0]
    if (to !== from && !ALLOWED[from]?.includes(to)) problems.push(`${file} imports ${target}`)
  }
}

// Depth-first search; a module met again while still on the stack closes a cycle.
const state = new Map()
const stack = []
const visit = (file) => {
  state.set(file, 'open')
  stack.push(file)
  for (const target of edges.get(file) ?? []) {
    if (state.get(target) === 'open') {
      problems.push(`cycle: ${[...stack.slice(stack.indexOf(target)), target].join(' → ')}`)
    } else if (!state.has(target)) visit(target)
  }
  stack.pop()
  state.set(file, 'done')
}
for (const file of modules) if (!state.has(file)) visit(file)

if (problems.length) {
  console.error(problems.join('\n'))
  console.error(`\nsrc/ folders may import only: ${JSON.stringify(ALLOWED)}`)
  process.exit(1)
}
console.log(`${modules.length} modules in src/, no import cycle, imports flow one way`)
