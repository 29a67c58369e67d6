import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatText } from '../src/cli/formats/text.js';
import { MESHREADY_VERSION, ruleDocsUrl } from '../src/core/rules/docs.js';
import { RULE_METAS } from '../src/core/rules/index.js';
import { ROOT, lint } from './helpers.js';

/** The first fenced block of `language` after `heading` in a page. */
function blockAfter(page: string, heading: string, language: string): string {
  const from = page.indexOf(heading);
  expect(from, `no "${heading}"`).toBeGreaterThan(-1);
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```').exec(page.slice(from));
  expect(block, `no ${language} block after "${heading}"`).not.toBeNull();
  return block![1]!;
}

describe('a page for every rule, its examples run', () => {
  it('links findings to the pages of the running version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(MESHREADY_VERSION).toBe(version);
    expect(ruleDocsUrl('reserved-uid')).toBe(`https://github.com/meshready/meshready/blob/v${version}/docs/rules/reserved-uid.md`);
  });

  for (const meta of RULE_METAS) {
    it(`docs/rules/${meta.id}.md: the incorrect example gives exactly the finding shown, the correct one none`, () => {
      const path = join(ROOT, 'docs/rules', `${meta.id}.md`);
      expect(existsSync(path)).toBe(true);
      const page = readFileSync(path, 'utf8');
      // The page says what the rule's metadata says, and links on to Istio's page (or the YAML spec).
      expect(page).toContain(`| ${meta.severity} |`);
      expect(page).toContain(`| ${meta.istioCode ?? '—'} | ${meta.istioLevel ?? '—'} |`);
      expect(page).toContain(`](${meta.referenceUrl})`);

      const incorrect = `${blockAfter(page, '### Incorrect', 'yaml')}\n`;
      const shown = blockAfter(page, '`meshready lint example.yaml` says:', 'text');
      const report = lint([{ path: 'example.yaml', text: incorrect }]);
      expect(formatText(report, { colour: false }).trimEnd().split('\n').slice(0, -1).join('\n')).toBe(shown);
      expect(report.findings.map((finding) => finding.ruleId)).toEqual([meta.id]);

      const correct = `${blockAfter(page, '### Correct', 'yaml')}\n`;
      expect(lint([{ path: 'example.yaml', text: correct }]).findings).toEqual([]);
    });
  }
});
