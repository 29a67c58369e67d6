import { DEFAULT_CONFIG } from './config.js';
import type { MeshreadyConfig } from './config.js';
import { ParsedFiles, analyzeFiles, analyzeSources, compareByPlace, suppressedByComment } from './analyze-files.js';
import type { AnalyzeFilesOptions } from './analyze-files.js';
import { chartOf } from './chart-source.js';
import type { ChartSource } from './chart-source.js';
import { placeChartFindings, planRenders, renderForAnalysis, sourceReader } from './charts.js';
import type { Render } from './charts.js';
import { LineIndex } from './source.js';
import type { AnalysisReport, SourceFile } from './types.js';

export { IGNORE_ANNOTATION, failsGate, fingerprintOf } from './analyze-files.js';

export interface AnalyzeOptions extends AnalyzeFilesOptions {
  /**
   * The repository's Helm charts, each whole: rendered as the config's `helm` section says,
   * their renders analysed with the other files, and findings placed on the template or
   * values line behind them. Files under a chart's directory are the chart's, not manifests.
   */
  charts?: readonly ChartSource[];
}

/** The whole engine: files (and charts) in, findings out. Pure apart from hashing. */
export function analyze(files: SourceFile[], config: MeshreadyConfig = DEFAULT_CONFIG, options: AnalyzeOptions = {}): AnalysisReport {
  const charts = options.charts ?? [];
  if (charts.length === 0) return analyzeFiles(files, config, options);
  const roots = charts.map((chart) => chart.root);
  const plain = files.filter((file) => chartOf(file.path, roots) === undefined);
  const sourceText = sourceReader(files, charts);
  const { plans, skipped: unplanned } = planRenders(charts, { ...config.helm, kubernetesVersion: config.kubernetesVersion }, sourceText);
  const renders: Render[] = [];
  const skipped = [...unplanned];
  for (const plan of plans) {
    const rendered = renderForAnalysis(plan);
    if ('skipped' in rendered) skipped.push(rendered.skipped);
    else renders.push({ plan, files: rendered.files });
  }
  // A fix's proof analyses every file again, most of them as they were: each is parsed once.
  const parsed = new ParsedFiles(config.limits, options.parseCache);
  // A proof reads the findings on renders alone: the plain files' are not made (beside
  // 20,000 plain documents their fixes and fingerprints were a third of every proof's time).
  const reanalyse = (each: readonly Render[]) => {
    const rendered = each.flatMap((render) => render.files.map((file) => file.file));
    return analyzeSources([...plain, ...rendered], config, { ...options, onFileParsed: () => {} }, each, parsed, new Set(rendered.map((file) => file.path))).findings;
  };
  const report = analyzeSources([...plain, ...renders.flatMap((render) => render.files.map((file) => file.file))], config, options, renders, parsed);
  const findings = placeChartFindings(report.findings, renders, sourceText, reanalyse).filter((finding) => {
    const text = finding.rendered ? sourceText(finding.file) : undefined;
    return text === undefined || !suppressedByComment(new LineIndex(text), finding);
  });
  const renderedFiles = renders.reduce((sum, render) => sum + render.files.length, 0);
  return {
    findings: findings.sort(compareByPlace),
    skipped: [...report.skipped, ...skipped],
    stats: { ...report.stats, files: report.stats.files - renderedFiles + charts.reduce((sum, chart) => sum + chart.files.length, 0) },
  };
}
