import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { checkNesting } from './cst-compose.js';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSION_PATTERN } from './kubernetes-version.js';
import { DEFAULT_MAX_FILE_BYTES } from './manifest.js';
import type { MeshFacts } from './mesh.js';
import { RULES } from './rules/index.js';
import type { Severity } from './types.js';

/** The repo's `.github/meshready.yml`, with every default filled in. */
export interface MeshreadyConfig {
  /** A rule's severity, or `off`. Rules not named keep their default severity. */
  rules: Record<string, Severity | 'off'>;
  paths: { include: string[]; exclude: string[] };
  /** The lowest severity that fails the check run (and makes `meshready lint` exit 1). */
  failOn: Severity | 'never';
  /** Whether a file that could not be checked (a template, too large, binary) fails the gate too. */
  failOnSkipped: boolean;
  /**
   * The Kubernetes version of the cluster the manifests are for (`1.35`, `v1.35.0`): what
   * it still has (PodSecurityPolicy before 1.25), and Helm's `.Capabilities.KubeVersion`.
   */
  kubernetesVersion: string;
  mesh: MeshFacts;
  fixes: { uid: number; gid: number };
  /** Whether app-label and version-label look at Jobs and CronJobs. */
  labels: { jobs: boolean };
  limits: { maxFileBytes: number };
  /** How the repository's Helm charts are rendered before they are checked. */
  helm: {
    /** Renders of a chart by its directory; a chart not named here is rendered once, with its own values. */
    charts: ChartRenderConfig[];
    /** Render each chart with each of its `ci/*values.yaml` too (each render checked on its own). */
    ciValues: boolean;
    /** `.Capabilities.APIVersions` beyond helm's default set (`kubernetesVersion` gives `.Capabilities.KubeVersion`). */
    apiVersions: string[];
  };
  review: {
    enabled: boolean;
    suggestions: boolean;
    event: 'COMMENT' | 'REQUEST_CHANGES';
    /** The most comments the bot leaves on one pull request, over every analysis of it. */
    maxComments: number;
    /** The least severity that gets a review comment; below it, a finding is an annotation only. */
    minSeverity: Severity;
  };
}

/** One render of a chart, as `helm template` takes it. */
export interface ChartRenderConfig {
  /** The chart's directory, a repository path. */
  path: string;
  /** `helm template NAME` (default `release-name`). */
  releaseName?: string;
  /** `-n`: the release's namespace, which resources without one of their own are in. */
  namespace?: string;
  /** `-f`: values files, repository paths, in order. */
  values?: string[];
  /** `--set` assignments. */
  set?: string[];
}

export const CONFIG_PATH = '.github/meshready.yml';

export const DEFAULT_CONFIG: MeshreadyConfig = {
  rules: {},
  // Go modules' vendor/ trees are others' code: linted upstream, if at all.
  paths: { include: ['**/*.yaml', '**/*.yml', '**/*.json'], exclude: ['**/node_modules/**', '**/vendor/**', '.github/**'] },
  failOn: 'error',
  failOnSkipped: false,
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  mesh: { cni: false, namespacesInjectedByDefault: true, rootNamespace: 'istio-system' },
  fixes: { uid: 1000, gid: 1000 },
  labels: { jobs: false },
  limits: { maxFileBytes: DEFAULT_MAX_FILE_BYTES },
  helm: { charts: [], ciValues: false, apiVersions: [] },
  review: { enabled: true, suggestions: true, event: 'COMMENT', maxComments: 30, minSeverity: 'warning' },
};

const SEVERITIES = ['error', 'warning', 'notice'];
/** Bounds that keep a config cheap to read and to match with: no real one comes near them. */
export const MAX_CONFIG_BYTES = 256 * 1024;
const MAX_GLOBS = 200;
const globList = { type: 'array', maxItems: MAX_GLOBS, items: { type: 'string', minLength: 1, maxLength: 1_000 } };

/** Why a config file of this many bytes is refused unread, if it is too large. */
export function configSizeProblem(bytes: number): string | undefined {
  return bytes > MAX_CONFIG_BYTES ? `the file is ${Math.ceil(bytes / 1024)} kB, over the ${MAX_CONFIG_BYTES / 1024} kB limit for a config` : undefined;
}

const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      propertyNames: { enum: RULES.map((rule) => rule.meta.id) },
      additionalProperties: { enum: [...SEVERITIES, 'off'] },
    },
    paths: {
      type: 'object',
      additionalProperties: false,
      properties: { include: globList, exclude: globList },
    },
    failOn: { enum: [...SEVERITIES, 'never'] },
    failOnSkipped: { type: 'boolean' },
    kubernetesVersion: { type: 'string', maxLength: 100, pattern: KUBERNETES_VERSION_PATTERN },
    mesh: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cni: { type: 'boolean' },
        namespacesInjectedByDefault: { type: 'boolean' },
        rootNamespace: { type: 'string', minLength: 1 },
      },
    },
    fixes: {
      type: 'object',
      additionalProperties: false,
      properties: {
        uid: { type: 'integer', minimum: 0, not: { const: 1337 } },
        gid: { type: 'integer', minimum: 0, not: { const: 1337 } },
      },
    },
    labels: {
      type: 'object',
      additionalProperties: false,
      properties: { jobs: { type: 'boolean' } },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: { maxFileBytes: { type: 'integer', minimum: 1, maximum: 50 * 1024 * 1024 } },
    },
    helm: {
      type: 'object',
      additionalProperties: false,
      properties: {
        charts: {
          type: 'array',
          maxItems: MAX_GLOBS,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            properties: {
              path: { type: 'string', maxLength: 1_000 },
              // helm's release name rule (pkg/chart/common/util ValidateReleaseName).
              releaseName: { type: 'string', maxLength: 53, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
              namespace: { type: 'string', minLength: 1, maxLength: 63 },
              values: { type: 'array', maxItems: MAX_GLOBS, items: { type: 'string', minLength: 1, maxLength: 1_000 } },
              set: { type: 'array', maxItems: MAX_GLOBS, items: { type: 'string', minLength: 1, maxLength: 10_000 } },
            },
          },
        },
        ciValues: { type: 'boolean' },
        apiVersions: { type: 'array', maxItems: MAX_GLOBS, items: { type: 'string', minLength: 1, maxLength: 300 } },
      },
    },
    review: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        suggestions: { type: 'boolean' },
        event: { enum: ['COMMENT', 'REQUEST_CHANGES'] },
        maxComments: { type: 'integer', minimum: 0, maximum: 100 },
        minSeverity: { enum: SEVERITIES },
      },
    },
  },
} as const;

// Loaded and compiled when a config is first read (~55 ms and ~75 ms): a lint without a
// config file never pays for them. ajv is CommonJS, so it can be required on the spot.
let compiledValidator: ValidateFunction | undefined;
function configValidator(): ValidateFunction {
  if (!compiledValidator) {
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv };
    compiledValidator = new AjvClass({ allErrors: true }).compile(CONFIG_SCHEMA);
  }
  return compiledValidator;
}

export type ConfigResult = { ok: true; config: MeshreadyConfig } | { ok: false; errors: string[] };

function describeError(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : '(top level)';
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown setting "${String(error.params.additionalProperty)}"`;
    case 'enum':
      if (error.propertyName !== undefined) {
        return `${where}: unknown rule "${error.propertyName}" (rules: ${RULES.map((rule) => rule.meta.id).join(', ')})`;
      }
      return `${where}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    case 'not':
      return `${where}: must not be 1337, the sidecar's own ID`;
    case 'maxItems':
      return `${where}: at most ${String(error.params.limit)} entries`;
    case 'pattern':
      return `${where}: must be a Kubernetes version, such as "1.35" or "v1.35.0"`;
    default:
      return `${where}: ${error.message ?? 'is invalid'}`;
  }
}

/** Validates a parsed config object and fills in defaults. `null`/`undefined` means "no config file". */
export function resolveConfig(raw: unknown): ConfigResult {
  if (raw === null || raw === undefined) return { ok: true, config: DEFAULT_CONFIG };
  const validate = configValidator();
  if (!validate(raw)) {
    // propertyNames also reports a generic error for the same key; keep the readable one.
    const errors = (validate.errors ?? []).filter((error) => error.message !== 'property name must be valid');
    return { ok: false, errors: [...new Set(errors.map(describeError))] };
  }
  const given = raw as Partial<{ [K in keyof MeshreadyConfig]: Partial<MeshreadyConfig[K]> }>;
  return {
    ok: true,
    config: {
      rules: { ...DEFAULT_CONFIG.rules, ...(given.rules as MeshreadyConfig['rules'] | undefined) },
      paths: { ...DEFAULT_CONFIG.paths, ...given.paths },
      failOn: (given.failOn as MeshreadyConfig['failOn'] | undefined) ?? DEFAULT_CONFIG.failOn,
      failOnSkipped: (given.failOnSkipped as boolean | undefined) ?? DEFAULT_CONFIG.failOnSkipped,
      kubernetesVersion: (given.kubernetesVersion as string | undefined) ?? DEFAULT_CONFIG.kubernetesVersion,
      mesh: { ...DEFAULT_CONFIG.mesh, ...given.mesh },
      fixes: { ...DEFAULT_CONFIG.fixes, ...given.fixes },
      labels: { ...DEFAULT_CONFIG.labels, ...given.labels },
      limits: { ...DEFAULT_CONFIG.limits, ...given.limits },
      helm: { ...DEFAULT_CONFIG.helm, ...given.helm },
      review: { ...DEFAULT_CONFIG.review, ...given.review },
    },
  };
}

/** Parses and validates the text of a config file. */
export function parseConfigText(text: string): ConfigResult {
  const tooLarge = configSizeProblem(Buffer.byteLength(text, 'utf8'));
  if (tooLarge) return { ok: false, errors: [tooLarge] };
  let raw: unknown;
  try {
    checkNesting(text);
    raw = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, errors: [`not valid YAML: ${(error as Error).message.split('\n')[0]}`] };
  }
  return resolveConfig(raw);
}

/**
 * Whether a path is one the config asks to check. The path is relative to the repository's
 * root (the app: as GitHub lists a pull request's files; the CLI: from the root of the
 * repository of the directory linted), with `/` separators and no leading `./`.
 */
export function pathMatcher(paths: MeshreadyConfig['paths']): (path: string) => boolean {
  const included = picomatch(paths.include, { dot: true });
  const excluded = paths.exclude.length > 0 ? picomatch(paths.exclude, { dot: true }) : () => false;
  return (path) => included(path) && !excluded(path);
}
