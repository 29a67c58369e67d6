import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { RuleMeta } from '../../core/rule.js';
import { ruleDocsUrl } from '../../core/rules/docs.js';
import { RULE_METAS } from '../../core/rules/index.js';
import type { AnalysisReport, Severity } from '../../core/types.js';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', notice: 'note' };

function descriptorOf(meta: RuleMeta): ReportingDescriptor {
  const istio = meta.istioCode ? ` Closest istioctl analyzer: ${meta.istioCode}.` : '';
  return {
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    helpUri: ruleDocsUrl(meta.id),
    help: {
      text: `${meta.description}${istio} See ${ruleDocsUrl(meta.id)} and ${meta.referenceUrl}`,
      markdown: `${meta.description}${istio}\n\n[The rule's page](${ruleDocsUrl(meta.id)}) · [${meta.referenceTitle ?? 'Istio documentation'}](${meta.referenceUrl})`,
    },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ['istio', 'kubernetes', 'service-mesh'],
      fixable: meta.fixable,
      ...(meta.istioCode ? { istioCode: meta.istioCode } : {}),
    },
  };
}

function uriOf(path: string): string {
  return encodeURI(path.replaceAll('\\', '/'));
}

/** SARIF 2.1.0 as GitHub code scanning takes it: one run, every rule described, fixes as replacements. */
export function formatSarif(report: AnalysisReport, toolVersion: string): string {
  const ruleIndex = new Map(RULE_METAS.map((meta, index) => [meta.id, index]));
  const results: Result[] = report.findings.map((finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(finding.file) },
          region: {
            startLine: finding.span.startLine,
            startColumn: finding.span.startColumn,
            endLine: finding.span.endLine,
            endColumn: finding.span.endColumn,
          },
        },
        ...(finding.resource
          ? {
              logicalLocations: [
                {
                  name: finding.resource.name,
                  fullyQualifiedName: `${finding.resource.kind}/${finding.resource.namespace ? `${finding.resource.namespace}/` : ''}${finding.resource.name}`,
                  kind: 'resource',
                },
              ],
            }
          : {}),
      },
    ],
    partialFingerprints: { 'meshready/v1': finding.fingerprint },
    // A finding on a Helm chart's render sits on the chart's source; where in the render it was found rides along.
    ...(finding.rendered ? { properties: { rendered: { ...finding.rendered } } } : {}),
    ...(finding.fix
      ? {
          fixes: [
            {
              description: { text: finding.fix.description },
              artifactChanges: finding.fix.edits.map((edit) => ({
                artifactLocation: { uri: uriOf(edit.file) },
                replacements: [
                  {
                    deletedRegion: { charOffset: edit.startOffset, charLength: edit.endOffset - edit.startOffset },
                    insertedContent: { text: edit.newText },
                  },
                ],
              })),
            },
          ],
        }
      : {}),
  }));

  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'meshready',
            version: toolVersion,
            rules: RULE_METAS.map(descriptorOf),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((entry) => ({
              level: 'note',
              message: { text: `skipped: ${entry.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(entry.file) } } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
