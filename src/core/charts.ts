import { posix } from 'node:path';
import { CHART_FILE, pathInChart } from './chart-source.js';
import type { ChartRenderConfig, MeshreadyConfig } from './config.js';
import type { ChartSource } from './chart-source.js';
import type { OriginSpan, TracedText } from './helm/origins.js';
import { renderAgainWithTemplates, renderChartReusable } from './helm/render.js';
import type { RenderChartOptions, RenderChartResult, RenderedManifest, ReusableRender } from './helm/render.js';
import { ANALYSIS_KEYS } from './helm/render-cache.js';
import { sourceEditOf, sourcePlaceOf } from './helm/source-map.js';
import { findingIdentity } from './compare.js';
import { LineIndex } from './source.js';
import type { Finding, Fix, RenderedFrom, SkippedFile, SourceFile, Span, TextEdit } from './types.js';

/**
 * Helm charts among a repository's files, rendered as the config asks, and what the
 * analysis says of their renders placed back on the chart's own files: the template line
 * whose text produced a node, or the values line that set it.
 */

/** What renders a repository's charts: the config's `helm` section and its Kubernetes version. */
export type HelmSettings = MeshreadyConfig['helm'] & Pick<MeshreadyConfig, 'kubernetesVersion'>;

export const DEFAULT_RELEASE_NAME = 'release-name';

/** One render of one chart: its label names the values it was rendered with (`` for the chart's own). */
export interface RenderPlan {
  chart: ChartSource;
  label: string;
  options: RenderChartOptions;
}

function chartFileText(chart: ChartSource, path: string): string | undefined {
  const relative = pathInChart(path, chart.root);
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

/** What renderAgainWithTemplates needs of each plan's render, kept while the plan is. */
const reusableRenders = new WeakMap<RenderPlan, ReusableRender>();

/** A render's templates as files to analyse, or the skip of a chart that does not render, with helm's reason. */
export function renderForAnalysis(plan: RenderPlan): { files: RenderedFile[] } | { skipped: SkippedFile } {
  const { chart } = plan;
  const { result, reusable } = renderChartReusable({ kind: 'directory', files: chart.files, root: chart.root === '' ? '.' : chart.root, source: chart.root }, plan.options, ANALYSIS_KEYS);
  if (reusable) reusableRenders.set(plan, reusable);
  return analysisFiles(plan, result);
}

function analysisFiles(plan: RenderPlan, result: RenderChartResult): { files: RenderedFile[] } | { skipped: SkippedFile } {
  const { chart } = plan;
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
function producerOf(place: NonNullable<ReturnType<typeof sourcePlaceOf>>, sourceText: string): string | undefined {
  const lines = new LineIndex(sourceText);
  if (place.origin.type === 'value') return `the value set at ${place.file}:${lines.lineOf(place.origin.start)}`;
  if (place.origin.type === 'action') return `\`${sourceText.slice(place.origin.start, place.origin.end)}\` at ${place.file}:${lines.lineOf(place.origin.start)}`;
  return undefined;
}

/** A finding on a render as placed on the chart's sources, with what produced its text when not the template's own. */
export interface SourcePlacement {
  finding: Finding;
  /** `the value set at values.yaml:3`, `` `{{ ... }}` at templates/x.yaml:9 ``: named in the message when the finding has no fix. */
  producer?: string;
}

/**
 * A finding on a rendered file, placed on the source a person edits: the template or values
 * line behind its node. What cannot be placed (a template inside an archive) goes on the
 * chart's Chart.yaml, naming the rendered resource. Its fix is the fix in the source, when
 * every edit maps; whether it really fixes is for a render with it to tell.
 */
export function placeOnSource(finding: Finding, rendered: RenderedFile, sourceText: (path: string) => string | undefined): SourcePlacement {
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
  const { fix: renderedFix, ...rest } = finding;
  if (!place || text === undefined) {
    const resource = finding.resource ? `${finding.resource.kind} ${finding.resource.name}` : 'a document';
    return {
      finding: {
        ...rest,
        file: posix.join(rendered.plan.chart.root, CHART_FILE),
        span: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        message: `${finding.message} (in ${resource}, rendered from ${rendered.templateName})`,
        rendered: from,
      },
    };
  }
  const lines = new LineIndex(text);
  const last = end > start ? sourcePlaceOf(rendered.traced, end - 1) : undefined;
  const endOffset =
    place.origin.type === 'text' ? (last && last.file === place.file && last.origin.type === 'text' && last.offset >= place.offset ? last.offset + 1 : place.offset + 1) : place.origin.end;
  const span: Span = lines.span(place.offset, Math.max(endOffset, place.offset));
  const fix = renderedFix && sourceFixOf(renderedFix, rendered);
  const producer = producerOf(place, text);
  return { finding: { ...rest, file: place.file, span, rendered: from, ...(fix ? { fix } : {}) }, ...(producer ? { producer } : {}) };
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

/** One render of a chart and the files it gave. */
export interface Render {
  plan: RenderPlan;
  files: RenderedFile[];
}

/** The text of a repository path: a plain file, or a file of one of the charts (decoded once, when first asked). */
export function sourceReader(files: readonly SourceFile[], charts: readonly ChartSource[]): (path: string) => string | undefined {
  const texts = new Map(files.map((file) => [file.path, file.text]));
  const decoder = new TextDecoder();
  const chartFiles = new Map(charts.flatMap((chart) => chart.files.map((file) => [chart.root === '' ? file.path : `${chart.root}/${file.path}`, file.bytes] as const)));
  return (path) => {
    let text = texts.get(path);
    if (text === undefined) {
      const bytes = chartFiles.get(path);
      if (bytes === undefined) return undefined;
      texts.set(path, (text = decoder.decode(bytes)));
    }
    return text;
  };
}

/**
 * The texts of the files findings speak about and their fixes edit, by path: plain files,
 * and the templates and values files of charts that findings were placed on. What review
 * suggestions and fixes are made from, in the CLI as in the app.
 */
export function findingTexts(findings: readonly Finding[], files: readonly SourceFile[], charts: readonly ChartSource[]): Map<string, string> {
  const read = sourceReader(files, charts);
  const texts = new Map(files.map((file) => [file.path, file.text]));
  for (const path of findings.flatMap((finding) => [finding.file, ...(finding.fix?.edits ?? []).map((edit) => edit.file)])) {
    const text = texts.has(path) ? undefined : read(path);
    if (text !== undefined) texts.set(path, text);
  }
  return texts;
}

/** `text` with `edits` (offsets into it, not overlapping) applied. */
function edited(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.startOffset - a.startOffset)) out = out.slice(0, edit.startOffset) + edit.newText + out.slice(edit.endOffset);
  return out;
}

/** The plan as it is once a fix's source edits are made (the chart's files and the values files it reads), and the edited files' texts. Undefined when an edit is of neither. */
function planWithEdits(plan: RenderPlan, edits: readonly TextEdit[], sourceText: (path: string) => string | undefined): { plan: RenderPlan; texts: Map<string, string> } | undefined {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  const { chart } = plan;
  const encoder = new TextEncoder();
  let files = chart.files;
  let valuesFiles = plan.options.valuesFiles ?? [];
  const texts = new Map<string, string>();
  for (const [path, fileEdits] of byFile) {
    const text = sourceText(path);
    if (text === undefined) return undefined;
    const relative = pathInChart(path, chart.root);
    const inChart = relative !== undefined && files.some((file) => file.path === relative);
    const inValues = valuesFiles.some((file) => file.path === path);
    if (!inChart && !inValues) return undefined;
    const after = edited(text, fileEdits);
    texts.set(path, after);
    if (inChart) files = files.map((file) => (file.path === relative ? { path: file.path, bytes: encoder.encode(after) } : file));
    if (inValues) valuesFiles = valuesFiles.map((file) => (file.path === path ? { path, text: after } : file));
  }
  return { plan: { ...plan, chart: { root: chart.root, files }, options: { ...plan.options, valuesFiles } }, texts };
}

/**
 * The render of a plan with a fix's edits made: when they are edits of templates only, the
 * plan's earlier render rendered again with those templates changed (what ran none of them
 * is as it was); else the edited plan rendered from the start.
 */
function renderWithEdits(plan: RenderPlan, edits: readonly TextEdit[], sourceText: (path: string) => string | undefined): { plan: RenderPlan; files: RenderedFile[] } | undefined {
  const withEdits = planWithEdits(plan, edits, sourceText);
  if (!withEdits) return undefined;
  const reusable = reusableRenders.get(plan);
  const again = reusable && renderAgainWithTemplates(reusable, withEdits.texts);
  const rendered = again ? analysisFiles(withEdits.plan, again) : renderForAnalysis(withEdits.plan);
  return 'skipped' in rendered ? undefined : { plan: withEdits.plan, files: rendered.files };
}

/** A fix per render that may be proven by rendering again; past this many, a render's other fixes are proven together. */
const FIXES_PROVEN_ONE_BY_ONE = 20;

/**
 * The findings of an analysis, those on renders placed on the chart's sources. A source
 * fix is kept only where rendering with it and analysing again (`reanalyse`, over every
 * render with this one replaced) shows the finding gone: the same template text or value
 * may render elsewhere too, or not at all where the rule looked. Findings that several
 * renders place on one line with one message are one.
 */
export function placeChartFindings(
  findings: readonly Finding[],
  renders: readonly Render[],
  sourceText: (path: string) => string | undefined,
  reanalyse: (renders: readonly Render[]) => readonly Finding[],
): Finding[] {
  const renderedBy = new Map(renders.flatMap((render) => render.files.map((file) => [file.file.path, { render, file }] as const)));
  const placed: SourcePlacement[] = [];
  const seen = new Set<string>();
  const unproven = new Map<Render, { finding: Finding; onRender: Finding }[]>();
  for (const finding of findings) {
    const origin = renderedBy.get(finding.file);
    if (!origin) {
      placed.push({ finding });
      continue;
    }
    const placement = placeOnSource(finding, origin.file, sourceText);
    const onSource = placement.finding;
    const key = [onSource.ruleId, onSource.file, onSource.span.startLine, onSource.span.startColumn, onSource.message].join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    placed.push(placement);
    if (onSource.fix) unproven.set(origin.render, [...(unproven.get(origin.render) ?? []), { finding: onSource, onRender: finding }]);
  }
  const disproven = new Set<Finding>();
  for (const [render, candidates] of unproven) {
    // Findings left on the render once edits are made, by the edits: findings often share a fix (one template line behind several).
    const leftBy = new Map<string, Set<string> | undefined>();
    const findingsLeft = (edits: readonly TextEdit[]): Set<string> | undefined => {
      const key = JSON.stringify(edits.map((edit) => [edit.file, edit.startOffset, edit.endOffset, edit.newText]));
      if (leftBy.has(key)) return leftBy.get(key);
      const rendered = renderWithEdits(render.plan, edits, sourceText);
      const renderedPaths = rendered && new Set(rendered.files.map((file) => file.file.path));
      const left =
        rendered &&
        new Set(
          reanalyse(renders.map((each) => (each === render ? rendered : each)))
            .filter((finding) => renderedPaths!.has(finding.file))
            .map(findingIdentity),
        );
      leftBy.set(key, left);
      return left;
    };
    const fixesGone = (chosen: typeof candidates): Set<Finding> => {
      const left = findingsLeft(chosen.flatMap(({ finding }) => finding.fix!.edits));
      if (!left) return new Set();
      return new Set(chosen.filter(({ onRender }) => !left.has(findingIdentity(onRender))).map(({ finding }) => finding));
    };
    const oneByOne = candidates.slice(0, FIXES_PROVEN_ONE_BY_ONE);
    const together = candidates.slice(FIXES_PROVEN_ONE_BY_ONE);
    const proven = new Set([...oneByOne.flatMap((candidate) => [...fixesGone([candidate])]), ...(together.length > 0 ? fixesGone(together) : [])]);
    for (const { finding } of candidates) if (!proven.has(finding)) disproven.add(finding);
  }
  return placed.map(({ finding, producer }) => {
    const { fix, ...rest } = finding;
    const kept = fix && !disproven.has(finding) ? fix : undefined;
    if (kept) return finding;
    return producer ? { ...rest, message: `${finding.message} (from ${producer})` } : rest;
  });
}
