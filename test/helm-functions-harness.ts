import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { HelmOutcome, HelmSnippet } from './support/helm-goldens.js';
import { helmGoldens } from './support/helm-goldens.js';
import { renderSnippet } from './helm-template-harness.js';

/**
 * The function suites' snippets, rendered by the port's template engine with helm's
 * function map (Sprig's and helm's own) and compared with what helm v4.1.4 rendered of them (output, or error text).
 */

/** [name, template, values.yaml?]. */
export type SnippetRow = readonly [name: string, template: string, values?: string];

/** A snippet as the engine's harness renders it, with helm's function map: its values file as JSON (the values used here are plain YAML). */
export function renderWithSprig(template: string, values?: string): HelmOutcome {
  const json = values === undefined ? undefined : JSON.stringify(parseYaml(values) ?? {});
  return renderSnippet({ name: 'snippet', template, ...(json === undefined ? {} : { values: json }) });
}

export async function compareWithHelm(suite: string, rows: readonly SnippetRow[]): Promise<void> {
  const snippets: HelmSnippet[] = rows.map(([name, template, values]) => (values === undefined ? { name, template } : { name, template, values }));
  const goldens = await helmGoldens(suite, snippets);
  describe(`${suite}: as helm renders them`, () => {
    for (const [name, template, values] of rows) {
      // derivePassword's scrypt and the key generations take seconds on a busy machine.
      it(name, { timeout: 30_000 }, () => {
        expect(renderWithSprig(template, values)).toEqual(goldens[name]);
      });
    }
  });
}
