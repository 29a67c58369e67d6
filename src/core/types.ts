/** The vocabulary shared by every stage of the pipeline. Nothing here knows of GitHub. */

export type Severity = 'error' | 'warning' | 'notice';

export const SEVERITY_RANK: Record<Severity, number> = { notice: 1, warning: 2, error: 3 };

export interface SourceFile {
  path: string;
  text: string;
  /** A size limit of its own, in place of the config's `limits.maxFileBytes` (standard input has a larger one). */
  maxBytes?: number;
  /**
   * How the file's bytes were read, when not UTF-8 (UTF-16 or UTF-32 with a byte order
   * mark): its fixes are offered but never applied unattended, as writing the text back
   * would change its encoding.
   */
  encoding?: string;
}

/** 1-based lines and columns in the file's text; the end column is exclusive. */
export interface Span {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface ResourceRef {
  kind: string;
  namespace?: string;
  name: string;
  file: string;
  documentIndex: number;
}

export interface TextEdit {
  file: string;
  startOffset: number;
  endOffset: number;
  newText: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
  /**
   * A safe fix is one a person would accept without checking: it is committed by
   * "Apply fixes". A fix that rests on a guess (a protocol inferred from a port number)
   * is only offered as a suggestion to review.
   */
  safe: boolean;
}

/** Where in the object the offending node is: keys and sequence indexes from the document root. */
export type NodePath = ReadonlyArray<string | number>;

/** Where a finding on a render came from, for readers and for SARIF. */
export interface RenderedFrom {
  chart: string;
  /** The values the chart was rendered with, when not its own. */
  values?: string;
  template: string;
  /** Line and column in the rendered document (`meshready template` prints it). */
  line: number;
  column: number;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  /** Absent only for findings about a whole file (parse errors). */
  resource?: ResourceRef;
  nodePath: NodePath;
  /** meshready's page for the rule, which links on to Istio's documentation. */
  docsUrl: string;
  fix?: Fix;
  /** Stable across pushes: never depends on a line number. */
  fingerprint: string;
  /** For a finding on a Helm chart's render (placed on the template or values line behind it): the render it was found in. */
  rendered?: RenderedFrom;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface AnalysisStats {
  files: number;
  documents: number;
  resources: number;
}

export interface AnalysisReport {
  findings: Finding[];
  skipped: SkippedFile[];
  stats: AnalysisStats;
}
