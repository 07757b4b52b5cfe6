// A YAML file that is a template (Helm's `{{ … }}`, Jinja's `{% … %}`) is YAML only after
// rendering. `{{` inside a comment, a quoted string or a block scalar is data (an Ansible
// variable, a Prometheus annotation, a `sed` script), and `${{ … }}` is a GitHub expression.
import { CST, Lexer } from 'yaml'

// The lexer's markers for where a document and a scalar begin: not text of the file.
const MARKERS = new Set([CST.DOCUMENT, CST.SCALAR, CST.FLOW_END])

/** The offset of the first template marker outside comments, quoted strings and block scalars. */
export function templateMarker(text: string): number | null {
  // Most files hold no `{{` or `{%` at all: no need to lex them a second time to know.
  if (!/\{[{%]/.test(text)) return null
  let offset = 0
  let previous = ''
  let block = false
  let scalarNext = false
  for (const token of new Lexer().lex(text)) {
    if (MARKERS.has(token)) {
      if (token === CST.SCALAR) scalarNext = true
      continue
    }
    if (previous === '{' && /^[{%]/.test(token)) return offset - 1
    if (scalarNext) {
      scalarNext = false
      const at = block ? null : /(?:^|[^$])\{[{%]/.exec(token)
      if (at) return offset + at.index + (token[at.index] === '{' ? 0 : 1)
      block = false
    } else if (CST.tokenType(token) === 'block-scalar-header') block = true
    previous = token
    offset += token.length
  }
  return null
}
