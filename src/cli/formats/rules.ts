import { ruleDocsUrl } from '../../core/rules/docs.js';
import { RULE_METAS } from '../../core/rules/index.js';

/**
 * `meshready rules`: every rule with its default severity, whether it fixes, its Istio
 * analogue and the level Istio gives it (which the default follows), and its page.
 */
export function formatRules(format: 'text' | 'json', version: string): string {
  const rules = RULE_METAS.map((meta) => ({
    id: meta.id,
    severity: meta.severity,
    fixable: meta.fixable,
    istioCode: meta.istioCode ?? null,
    istioLevel: meta.istioLevel ?? null,
    title: meta.title,
    docsUrl: ruleDocsUrl(meta.id),
  }));
  if (format === 'json') return `${JSON.stringify({ version, rules }, null, 2)}\n`;
  const width = Math.max(...rules.map((rule) => rule.id.length));
  const lines = rules.map(
    (rule) =>
      `${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.fixable ? 'fixable' : '       '}  ${(rule.istioCode ?? '').padEnd(7)}  ${(rule.istioLevel ?? '').padEnd(7)}  ${rule.title}`,
  );
  return `${['id'.padEnd(width), 'default', 'fix    ', 'istio  ', 'level  ', 'what is wrong'].join('  ')}\n${lines.join('\n')}\n\nThe default follows the level Istio gives its message (Info: notice, Warning: warning, Error: error).\nEach rule's page: docs/rules/<id>.md (${ruleDocsUrl('<id>')}).\n`;
}
