import type { AnalysisReport } from '../../core/types.js';

/** The `--format json` contract: other tools parse it, so its shape only ever grows. */
export function formatJson(report: AnalysisReport): string {
  const output = {
    findings: report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      file: finding.file,
      line: finding.span.startLine,
      column: finding.span.startColumn,
      endLine: finding.span.endLine,
      endColumn: finding.span.endColumn,
      resource: finding.resource
        ? { kind: finding.resource.kind, namespace: finding.resource.namespace ?? null, name: finding.resource.name }
        : null,
      // Where a finding on a Helm chart's render was found: the file and line above are the chart's source.
      rendered: finding.rendered
        ? { chart: finding.rendered.chart, values: finding.rendered.values ?? null, template: finding.rendered.template, line: finding.rendered.line, column: finding.rendered.column }
        : null,
      fingerprint: finding.fingerprint,
      docsUrl: finding.docsUrl,
      fix: finding.fix
        ? {
            description: finding.fix.description,
            safe: finding.fix.safe,
            edits: finding.fix.edits.map((edit) => ({
              file: edit.file,
              startOffset: edit.startOffset,
              endOffset: edit.endOffset,
              newText: edit.newText,
            })),
          }
        : null,
    })),
    files: report.stats.files,
    resources: report.stats.resources,
    skipped: report.skipped.map((entry) => ({ file: entry.file, reason: entry.reason })),
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}
