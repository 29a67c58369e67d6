/** How counts and messages are worded wherever meshready speaks: the terminal, check runs, comments. */

/** `1 file`, `2 files`; `plural(3, 'fix', 'fixes')`. */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

/** The first line of a message, trimmed: parsers', GitHub's and Node's messages carry details after it. */
export function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0]!.trim();
}
