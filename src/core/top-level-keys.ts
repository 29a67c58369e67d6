/**
 * Whether text that does not parse was meant as a Kubernetes manifest: some document of it
 * has `apiVersion` and `kind` among its top-level keys. Only a document's own keys count:
 * a VS Code launch.json has `"kind"` deep inside, a manifest has it at the top. Read from
 * the text alone, as the parse failed: a block document's keys start at column 0; a flow
 * document (JSON, with `//` and `/* *\/` comments as editors write them) has them at depth 1
 * of its root map.
 */
export function hasTopLevelManifestKeys(text: string): boolean {
  return documentTexts(text).some((document) => {
    const keys = topLevelKeys(document);
    return keys.has('apiVersion') && keys.has('kind');
  });
}

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t]|$)/m;

function documentTexts(text: string): string[] {
  return text.split(DOCUMENT_MARKER);
}

const BLOCK_KEY = /^(["']?)(apiVersion|kind)\1[ \t]*:/gm;

function topLevelKeys(document: string): Set<string> {
  const root = /^(?:[ \t]*(?:#.*|\/\/.*|%.*)?\r?\n)*[ \t]*(\S)/.exec(document);
  if (root?.[1] === '{') return flowRootKeys(document, root.index + root[0].length - 1);
  return new Set([...document.matchAll(BLOCK_KEY)].map((match) => match[2]!));
}

/** The keys at depth 1 of a flow map starting at `start`, skipping strings and comments. */
function flowRootKeys(text: string, start: number): Set<string> {
  const keys = new Set<string>();
  let depth = 0;
  let inRootMap = false;
  let candidate: string | undefined;
  for (let index = start; index < text.length; index++) {
    const char = text[index]!;
    if (char === '"' || char === "'") {
      const end = stringEnd(text, index);
      candidate = text.slice(index + 1, end);
      index = end;
      continue;
    }
    if (char === '/' && text[index + 1] === '/') index = lineEnd(text, index);
    else if (char === '/' && text[index + 1] === '*') index = text.indexOf('*/', index + 2) === -1 ? text.length : text.indexOf('*/', index + 2) + 1;
    else if (char === '#' && /\s/.test(text[index - 1] ?? ' ')) index = lineEnd(text, index);
    else if (char === '{' || char === '[') {
      depth++;
      if (depth === 1) inRootMap = char === '{';
    } else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) break;
    } else if (char === ':' && depth === 1 && inRootMap && candidate !== undefined) keys.add(candidate);
    else if (/[A-Za-z]/.test(char) && /[\s{,]/.test(text[index - 1]!)) {
      const word = /^[A-Za-z][\w-]*/.exec(text.slice(index, index + 64))![0];
      candidate = word;
      index += word.length - 1;
      continue;
    }
    if (!/\s/.test(char)) candidate = undefined;
  }
  return keys;
}

function stringEnd(text: string, start: number): number {
  const quote = text[start]!;
  for (let index = start + 1; index < text.length; index++) {
    if (quote === '"' && text[index] === '\\') index++;
    else if (text[index] === quote) {
      // YAML doubles a single quote to escape it.
      if (quote === "'" && text[index + 1] === "'") index++;
      else return index;
    }
  }
  return text.length;
}

function lineEnd(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end === -1 ? text.length : end;
}
