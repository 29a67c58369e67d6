import { posix } from 'node:path';
import { CHART_FILE } from './chart-source.js';
import type { ChartSource } from './chart-source.js';
import type { OriginSpan, TracedText } from './helm/origins.js';
import { renderChart } from './helm/render.js';
import type { RenderChartOptions, RenderedManifest } from './helm/render.js';
import { sourceEditOf, sourcePlaceOf } from './helm/source-map.js';
import { LineIndex } from './source.js';
import type { Finding, Fix, RenderedFrom, SkippedFile, SourceFile, Span, TextEdit } from './types.js';

/**
 * Helm charts among a repository's files, rendered as the config asks, and what the
 * analysis says of their renders placed back on the chart's own files: the template line
 * whose text produced a node, or the values line that set it.
 */

/** One render of a chart the config asks for. */
export interface ChartRenderConfig {
  /** The chart's directory, a repository path. */
  path: string;
  /** The release name (`helm template NAME`). */
  releaseName?: string;
  namespace?: string;
  /** Values files, repository paths, in the order `-f` takes them. */
  values?: string[];
  /** `--set` assignments. */
  set?: string[];
}

export interface HelmSettings {
  charts: ChartRenderConfig[];
  /** Render each chart with each of its `ci/*values.yaml` too. */
  ciValues: boolean;
  /** More `.Capabilities.APIVersions` than helm's default set. */
  apiVersions: string[];
  /** `.Capabilities.KubeVersion`. */
  kubernetesVersion: string;
}

export const DEFAULT_RELEASE_NAME = 'release-name';

/** One render of one chart: its label names the values it was rendered with (`` for the chart's own). */
export interface RenderPlan {
  chart: ChartSource;
  label: string;
  options: RenderChartOptions;
}

function chartFileText(chart: ChartSource, path: string): string | undefined {
  const relative = chart.root === '' ? path : path.startsWith(`${chart.root}/`) ? path.slice(chart.root.length + 1) : undefined;
  const file = relative === undefined ? undefined : chart.files.find((entry) => entry.path === relative);
  return file && new TextDecoder().decode(file.bytes);
}

/**
 * The renders the config asks for: each chart's entries in `helm.charts`, or, for a chart
 * it does not name, one with the chart's own values; with `ciValues`, one more for each
 * `ci/*values.yaml`. A values file that is nowhere to be read is a skip of that render.
 */
export function planRenders(charts: readonly ChartSource[], settings: HelmSettings, readText: (path: string) => string | undefined): { plans: RenderPlan[]; skipped: SkippedFile[] } {
  const plans: RenderPlan[] = [];
  const skipped: SkippedFile[] = [];
  const common = { kubeVersion: settings.kubernetesVersion, apiVersions: settings.apiVersions };
  for (const chart of charts) {
    const configured = settings.charts.filter((entry) => posix.normalize(entry.path).replace(/\/$/, '').replace(/^\.$/, '') === chart.root);
    const renders: { label: string; render: ChartRenderConfig }[] =
      configured.length > 0
        ? configured.map((render, index) => ({ label: render.values?.join(', ') ?? (configured.length > 1 ? `render ${index + 1}` : ''), render }))
        : [{ label: '', render: { path: chart.root } }];
    if (settings.ciValues) {
      for (const file of chart.files) {
        if (/^ci\/[^/]*values\.ya?ml$/.test(file.path)) renders.push({ label: file.path, render: { path: chart.root, values: [posix.join(chart.root, file.path)] } });
      }
    }
    for (const { label, render } of renders) {
      const valuesFiles = (render.values ?? []).map((path) => ({ path, text: chartFileText(chart, path) ?? readText(path) }));
      const missing = valuesFiles.find((file) => file.text === undefined);
      if (missing) {
        skipped.push({ file: posix.join(chart.root, CHART_FILE), reason: `values file ${missing.path} (helm.charts) is not in the repository` });
        continue;
      }
      plans.push({
        chart,
        label,
        options: {
          ...common,
          releaseName: render.releaseName ?? DEFAULT_RELEASE_NAME,
          ...(render.namespace !== undefined ? { namespace: render.namespace } : {}),
          valuesFiles: valuesFiles.map((file) => ({ path: file.path, text: file.text! })),
          set: render.set ?? [],
        },
      });
    }
  }
  return { plans, skipped };
}

/** A template's output in one render, as a file the analysis reads: its documents, and where each character came from. */
export interface RenderedFile {
  file: SourceFile;
  traced: TracedText;
  plan: RenderPlan;
  /** The repository path of the template (or CRD file) rendered. */
  templatePath: string;
  /** helm's name of it (`app/templates/deploy.yaml`). */
  templateName: string;
}

/** The name a render's file goes by in the analysis: the template's path, and the values it was rendered with when not the chart's own. */
function renderedFilePath(templatePath: string, label: string): string {
  return label === '' ? templatePath : `${templatePath} (${label})`;
}

/** Manifests of one template as one text: documents separated as helm prints them, spans shifted along. */
function joined(manifests: readonly RenderedManifest[]): TracedText {
  let text = '';
  const spans: OriginSpan[] = [];
  for (const manifest of manifests) {
    if (text !== '') text += '---\n';
    const shift = text.length;
    for (const span of manifest.text.spans) spans.push({ start: span.start + shift, end: span.end + shift, origin: span.origin });
    text += `${manifest.text.text}\n`;
  }
  return { text, spans };
}

/** A render's templates as files to analyse, or the skip of a chart that does not render, with helm's reason. */
export function renderForAnalysis(plan: RenderPlan): { files: RenderedFile[] } | { skipped: SkippedFile } {
  const { chart } = plan;
  const result = renderChart({ kind: 'directory', files: chart.files, root: chart.root === '' ? '.' : chart.root, source: chart.root }, plan.options);
  if (!result.ok) {
    const rendered = plan.label === '' ? '' : ` with ${plan.label}`;
    return { skipped: { file: posix.join(chart.root, CHART_FILE), reason: `chart not rendered${rendered}: ${result.error}` } };
  }
  const byTemplate = new Map<string, RenderedManifest[]>();
  for (const manifest of result.manifests) {
    const list = byTemplate.get(manifest.path);
    if (list) list.push(manifest);
    else byTemplate.set(manifest.path, [manifest]);
  }
  return {
    files: [...byTemplate].map(([templatePath, manifests]) => {
      const traced = joined(manifests);
      return { file: { path: renderedFilePath(templatePath, plan.label), text: traced.text }, traced, plan, templatePath, templateName: manifests[0]!.name };
    }),
  };
}

function offsetOf(lines: LineIndex, line: number, column: number): number {
  return lines.lineStart(line) + column - 1;
}

/** What produced a source place, for a message: a values line or the action that computed the text. */
function producer(place: NonNullable<ReturnType<typeof sourcePlaceOf>>, sourceText: string): string | undefined {
  const lines = new LineIndex(sourceText);
  if (place.origin.type === 'value') return `the value set at ${place.file}:${lines.lineOf(place.origin.start)}`;
  if (place.origin.type === 'action') return `\`${sourceText.slice(place.origin.start, place.origin.end)}\` at ${place.file}:${lines.lineOf(place.origin.start)}`;
  return undefined;
}

/**
 * A finding on a rendered file, placed on the source a person edits: the template or values
 * line behind its node. What cannot be placed (a template inside an archive) goes on the
 * chart's Chart.yaml, naming the rendered resource. `fix` is the finding's fix in the
 * source, when every edit maps; the caller decides whether to keep it (a re-render tells).
 */
export function placeOnSource(finding: Finding, rendered: RenderedFile, sourceText: (path: string) => string | undefined): Finding {
  const renderedLines = new LineIndex(rendered.file.text);
  const start = offsetOf(renderedLines, finding.span.startLine, finding.span.startColumn);
  const end = offsetOf(renderedLines, finding.span.endLine, finding.span.endColumn);
  const from: RenderedFrom = {
    chart: rendered.plan.chart.root,
    ...(rendered.plan.label !== '' ? { values: rendered.plan.label } : {}),
    template: rendered.templateName,
    line: finding.span.startLine,
    column: finding.span.startColumn,
  };
  const place = sourcePlaceOf(rendered.traced, start);
  const text = place && sourceText(place.file);
  const { fix: _renderedFix, ...rest } = finding;
  if (!place || text === undefined) {
    const chartFile = posix.join(rendered.plan.chart.root, CHART_FILE);
    const resource = finding.resource ? `${finding.resource.kind} ${finding.resource.name}` : 'a document';
    return {
      ...rest,
      file: chartFile,
      span: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      message: `${finding.message} (in ${resource}, rendered from ${rendered.templateName})`,
      rendered: from,
    };
  }
  const lines = new LineIndex(text);
  const last = end > start ? sourcePlaceOf(rendered.traced, end - 1) : undefined;
  const endOffset =
    place.origin.type === 'text' ? (last && last.file === place.file && last.origin.type === 'text' && last.offset >= place.offset ? last.offset + 1 : place.offset + 1) : place.origin.end;
  const span: Span = lines.span(place.offset, Math.max(endOffset, place.offset));
  const madeBy = producer(place, text);
  const fix = finding.fix && sourceFixOf(finding.fix, rendered);
  return {
    ...rest,
    file: place.file,
    span,
    message: madeBy && !fix ? `${finding.message} (from ${madeBy})` : finding.message,
    rendered: from,
    ...(fix ? { fix } : {}),
  };
}

/** A fix on a render as a fix of the chart's sources, when every one of its edits has a source edit. */
export function sourceFixOf(fix: Fix, rendered: RenderedFile): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const edit of fix.edits) {
    const mapped = sourceEditOf(rendered.traced, { start: edit.startOffset, end: edit.endOffset, newText: edit.newText });
    if (!mapped) return undefined;
    edits.push({ file: mapped.file, startOffset: mapped.start, endOffset: mapped.end, newText: mapped.newText });
  }
  return { ...fix, edits };
}
