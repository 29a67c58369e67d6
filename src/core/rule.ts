import type { Resource, SpanPart } from './manifest.js';
import type { MeshModel } from './mesh.js';
import type { KubernetesVersion } from './kubernetes-version.js';
import type { Fix, NodePath, Severity } from './types.js';

export interface RuleMeta {
  id: string;
  title: string;
  /** The default; the repo config may change it. */
  severity: Severity;
  /** Why it matters under Istio, one or two sentences for docs and SARIF help. */
  description: string;
  /** The page of Istio's documentation the rule rests on (the YAML spec for parse errors). */
  referenceUrl: string;
  /** What that page is, where it is not Istio's documentation. */
  referenceTitle?: string;
  /** The `istioctl analyze` message code of the closest Istio analyzer, where one exists. */
  istioCode?: string;
  /**
   * The level Istio gives that message (pkg/config/analysis/msg/messages.yaml). The default
   * severity follows it: Info is a notice, Warning a warning, Error an error.
   */
  istioLevel?: IstioLevel;
  fixable: boolean;
}

export type IstioLevel = 'Info' | 'Warning' | 'Error';

export interface FixDefaults {
  /** What a reserved UID is replaced with. */
  uid: number;
  gid: number;
}

export interface RuleContext {
  mesh: MeshModel;
  fixDefaults: FixDefaults;
  /** Whether the label rules look at Jobs and CronJobs too: their pods rarely serve traffic. */
  labelJobs: boolean;
  /** The target cluster's: what it still has. */
  kubernetesVersion: KubernetesVersion;
}

/** What a rule says: the rest (span, severity, fingerprint) is derived by the engine. */
export interface RuleViolation {
  resource: Resource;
  /** Relative to the resource; the span is the node found there. */
  path: NodePath;
  part?: SpanPart;
  message: string;
  /**
   * The fix, worked out only for a finding that is reported: a resource found in several
   * clusters is checked in each, and its finding reported once.
   */
  fix?: () => Fix | undefined;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): RuleViolation[];
}
