import { CST, Lexer } from 'yaml';

/** What yaml's lexer emits before a plain or block scalar's text. */
const SCALAR_MARKER = '\u001f';

/**
 * Whether Go template syntax (`{{ }}`, Helm's) stands in the YAML structure of a text: in
 * a plain scalar or a key, or as `{{` opening a flow collection. Inside a quoted scalar, a
 * block scalar or a comment it is data (a ConfigMap's template, an annotation), and the
 * file is a manifest like any other.
 */
export function hasTemplateSyntaxInStructure(text: string): boolean {
  if (!text.includes('{{')) return false;
  let previous = '';
  let scalarNext = false;
  let blockScalarNext = false;
  for (const token of new Lexer().lex(text)) {
    if (token === SCALAR_MARKER) {
      scalarNext = true;
      continue;
    }
    if (scalarNext) {
      scalarNext = false;
      if (blockScalarNext) blockScalarNext = false;
      else if (token.includes('{{')) return true;
    } else if (token === '{' && previous === '{') {
      return true;
    } else if (CST.tokenType(token) === 'block-scalar-header') {
      blockScalarNext = true;
    }
    previous = token;
  }
  return false;
}
