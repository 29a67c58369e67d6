/**
 * Text from manifests, paths, configs and GitHub's own answers, made to render as text in
 * GitHub Markdown: no link, image, mention, HTML, autolink or broken code span.
 */

/** Characters that make Markdown (and GitHub's autolinks and mentions) of plain text. */
const MARKDOWN_SIGNIFICANT = /[\\`*_{}[\]()#+\-.!|<>@:~&]/g;

export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(MARKDOWN_SIGNIFICANT, (char) => (char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '&' ? '&amp;' : `\\${char}`));
}

/** A run of backticks longer than any in the text, and at least `shortest` long: a fence the text cannot close. */
export function fenceFor(text: string, shortest: number): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(shortest, longest + 1));
}

/** A code span that no backtick in the text can end early (CommonMark: a longer fence, padded). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const fence = fenceFor(flat, 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Cuts Markdown to GitHub's limit on a check run's summary and text, which counts UTF-8
 * bytes, leaving room for a note that says so; never in the middle of a character.
 */
export function truncateToBytes(text: string, limitBytes: number, note: string): string {
  if (Buffer.byteLength(text, 'utf8') <= limitBytes) return text;
  const room = limitBytes - Buffer.byteLength(note, 'utf8');
  let low = 0;
  let high = Math.min(text.length, room);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(text.slice(0, middle), 'utf8') <= room) low = middle;
    else high = middle - 1;
  }
  // A lone high surrogate would be written as three bytes of U+FFFD.
  const cut = /[\uD800-\uDBFF]/.test(text[low - 1] ?? '') ? low - 1 : low;
  return text.slice(0, cut) + note;
}

