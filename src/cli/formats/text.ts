import type { AnalysisReport, Severity } from '../../core/types.js';
import { plural } from '../../core/words.js';

export interface TextStyle {
  colour: boolean;
}

const COLOURS: Record<Severity | 'dim' | 'bold', [number, number]> = {
  error: [31, 39],
  warning: [33, 39],
  notice: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};


/** Compiler-style lines, `file:line:col severity rule message`, then a one-line tally. */
export function formatText(report: AnalysisReport, style: TextStyle): string {
  const paint = (kind: keyof typeof COLOURS, text: string) =>
    style.colour ? `\u001b[${COLOURS[kind][0]}m${text}\u001b[${COLOURS[kind][1]}m` : text;
  const lines: string[] = [];
  for (const finding of report.findings) {
    const where = `${finding.file}:${finding.span.startLine}:${finding.span.startColumn}`;
    // A guessed fix (a protocol from a port number, a version from an image tag) says so: --fix leaves it.
    const fixable = finding.fix ? paint('dim', finding.fix.safe ? ` (fix: ${finding.fix.description})` : ` (suggested fix, a guess: ${finding.fix.description})`) : '';
    lines.push(`${paint('bold', where)} ${paint(finding.severity, finding.severity)} ${finding.ruleId} ${finding.message}${fixable}`);
  }
  for (const entry of report.skipped) lines.push(`${paint('bold', entry.file)} ${paint('dim', `skipped: ${entry.reason}`)}`);

  const count = (severity: Severity) => report.findings.filter((finding) => finding.severity === severity).length;
  const tally =
    report.findings.length === 0
      ? 'no problems'
      : `${plural(report.findings.length, 'problem')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('notice'), 'notice')})`;
  const skipped = report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : '';
  lines.push(`${tally} in ${plural(report.stats.files, 'file')} (${plural(report.stats.resources, 'resource')})${skipped}`);
  return `${lines.join('\n')}\n`;
}
