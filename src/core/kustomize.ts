import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { asArray, asObject, stringMap } from './manifest.js';
import type { Resource } from './manifest.js';
import type { SourceFile } from './types.js';

/**
 * What the kustomizations of a change say about its other files: which are patches
 * (partial resources, completed by a base), which are modelled together, and what labels
 * and namespace their resources get once built. Pure: only paths and texts.
 */

const KUSTOMIZATION_FILE_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.has(posix.basename(path));
}

interface Kustomization {
  path: string;
  /** Files and directories it builds from, as paths of the change. */
  resources: string[];
  patches: string[];
  /** Labels it puts on pod templates (commonLabels, or `labels` with includeTemplates). */
  templateLabels: Record<string, string>;
  namespace?: string;
}

function readKustomization(file: SourceFile): Kustomization | undefined {
  let value: unknown;
  try {
    value = parseYaml(file.text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  const spec = asObject(value);
  if (!spec) return undefined;
  const directory = posix.dirname(file.path);
  const local = (entry: unknown): string[] => (typeof entry === 'string' && !/^[a-z]+:\/\/|^git@/i.test(entry) ? [posix.normalize(posix.join(directory, entry))] : []);
  const patchPath = (entry: unknown): string[] => (typeof entry === 'string' ? local(entry) : local(asObject(entry)?.path));
  const templateLabels = {
    ...stringMap(spec.commonLabels),
    ...Object.assign(
      {},
      ...asArray(spec.labels)
        .map(asObject)
        .filter((entry) => entry?.includeTemplates === true)
        .map((entry) => stringMap(entry!.pairs)),
    ),
  } as Record<string, string>;
  return {
    path: file.path,
    resources: ['resources', 'bases', 'components'].flatMap((field) => asArray(spec[field]).flatMap(local)),
    patches: ['patchesStrategicMerge', 'patches', 'patchesJson6902'].flatMap((field) => asArray(spec[field]).flatMap(patchPath)),
    templateLabels,
    ...(typeof spec.namespace === 'string' ? { namespace: spec.namespace } : {}),
  };
}

export interface KustomizeLayout {
  /** Sets of files that one kustomization builds together (its bases' files included). */
  units: string[][];
  /** Whether a file is named as a patch: its resources are partial. */
  isPatch(file: string): boolean;
  /** Labels the pod templates of a file get from the kustomizations that build it. */
  templateLabelsOf(file: string): Record<string, string>;
  /** The namespace a kustomization gives the file's resources, when exactly one does. */
  namespaceOf(file: string): string | undefined;
}

export const NO_KUSTOMIZATION: KustomizeLayout = {
  units: [],
  isPatch: () => false,
  templateLabelsOf: () => ({}),
  namespaceOf: () => undefined,
};

/** The layout the change's kustomization files describe, over the paths of the change. */
export function kustomizeLayout(files: SourceFile[]): KustomizeLayout {
  const kustomizations = files.filter((file) => isKustomizationFile(file.path)).flatMap((file) => readKustomization(file) ?? []);
  if (kustomizations.length === 0) return NO_KUSTOMIZATION;
  const paths = new Set(files.map((file) => file.path));
  const byDirectory = new Map(kustomizations.map((kustomization) => [posix.dirname(kustomization.path), kustomization]));

  // A kustomization's files: its own resources and patches, and all of those of the bases it names.
  const filesOf = new Map<Kustomization, Set<string>>();
  const collect = (kustomization: Kustomization, seen: Set<Kustomization>): Set<string> => {
    const known = filesOf.get(kustomization);
    if (known) return known;
    const out = new Set<string>([kustomization.path, ...kustomization.patches]);
    if (seen.has(kustomization)) return out;
    seen.add(kustomization);
    for (const entry of kustomization.resources) {
      const base = byDirectory.get(entry);
      if (base) for (const file of collect(base, seen)) out.add(file);
      else if (paths.has(entry)) out.add(entry);
      // A directory whose kustomization is not in the change: its files as far as the change shows them.
      else for (const path of paths) if (path.startsWith(`${entry}/`)) out.add(path);
    }
    filesOf.set(kustomization, out);
    return out;
  };
  for (const kustomization of kustomizations) collect(kustomization, new Set());

  const named = new Set(kustomizations.flatMap((kustomization) => kustomization.resources));
  const roots = kustomizations.filter((kustomization) => !named.has(posix.dirname(kustomization.path)));
  const patches = new Set(kustomizations.flatMap((kustomization) => kustomization.patches));
  const building = (file: string) => kustomizations.filter((kustomization) => filesOf.get(kustomization)!.has(file));

  return {
    units: roots.map((root) => [...filesOf.get(root)!]),
    isPatch: (file) => patches.has(file),
    templateLabelsOf: (file) => Object.assign({}, ...building(file).map((kustomization) => kustomization.templateLabels)) as Record<string, string>,
    namespaceOf: (file) => {
      const namespaces = new Set(
        roots
          .filter((root) => filesOf.get(root)!.has(file))
          .map((root) => {
            // The outermost kustomization that sets one wins, as kustomize applies overlays last.
            const chain = building(file).filter((kustomization) => filesOf.get(root)!.has(kustomization.path));
            return chain.find((kustomization) => kustomization === root)?.namespace ?? chain.find((kustomization) => kustomization.namespace)?.namespace;
          }),
      );
      return namespaces.size === 1 ? [...namespaces][0] : undefined;
    },
  };
}

/** The resource as the kustomizations of the change build it: namespace and inherited pod labels, or partial when a patch. */
export function asBuilt(resource: Resource, layout: KustomizeLayout): Resource {
  if (layout === NO_KUSTOMIZATION) return resource;
  const file = resource.ref.file;
  const namespace = layout.namespaceOf(file);
  const inheritedPodLabels = layout.templateLabelsOf(file);
  const partial = layout.isPatch(file);
  if (namespace === undefined && Object.keys(inheritedPodLabels).length === 0 && !partial) return resource;
  return {
    ...resource,
    ...(namespace !== undefined && resource.kind !== 'Namespace' ? { namespace, ref: { ...resource.ref, namespace } } : {}),
    inheritedPodLabels,
    partial,
  };
}

function identityOf(resource: Resource): string {
  return `${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name}`;
}

/**
 * The clusters a change describes. Files that define the same resource (kind, namespace,
 * name) outside one kustomization are alternatives (a provider's variant of a manifest,
 * an environment's copy): they never meet in one cluster. Every other file is in each.
 */
export function clustersOf(resources: Resource[], layout: KustomizeLayout): Resource[][] {
  // A file that several kustomizations build (a shared base) stands on its own, like a file that none builds.
  const unitsOfFile = new Map<string, number[]>();
  layout.units.forEach((unit, index) => unit.forEach((file) => unitsOfFile.set(file, [...(unitsOfFile.get(file) ?? []), index])));
  const unitOf = (resource: Resource): string => {
    const units = unitsOfFile.get(resource.ref.file);
    return units?.length === 1 ? `unit:${units[0]}` : `file:${resource.ref.file}`;
  };

  const unitsByIdentity = new Map<string, Map<string, string>>();
  for (const resource of resources) {
    // Without a name (a release note's `kind: feature`, a generateName) a resource is no one object in a cluster.
    if (resource.partial || typeof asObject(resource.object.metadata)?.name !== 'string') continue;
    const identity = identityOf(resource);
    let units = unitsByIdentity.get(identity);
    if (!units) unitsByIdentity.set(identity, (units = new Map()));
    if (!units.has(unitOf(resource))) units.set(unitOf(resource), resource.ref.file);
  }
  const clashes = new Map<string, Set<string>>();
  for (const units of unitsByIdentity.values()) {
    if (units.size < 2) continue;
    for (const unit of units.keys()) {
      let others = clashes.get(unit);
      if (!others) clashes.set(unit, (others = new Set()));
      for (const other of units.keys()) if (other !== unit) others.add(other);
    }
  }
  if (clashes.size === 0) return [resources];

  // Greedy colouring, each unit into the first cluster holding none of the units it clashes with.
  const clusterOfUnit = new Map<string, number>();
  let clusterCount = 0;
  for (const [unit, others] of clashes) {
    const taken = new Set<number>();
    for (const other of others) {
      const cluster = clusterOfUnit.get(other);
      if (cluster !== undefined) taken.add(cluster);
    }
    let cluster = 0;
    while (taken.has(cluster)) cluster++;
    clusterOfUnit.set(unit, cluster);
    clusterCount = Math.max(clusterCount, cluster + 1);
  }
  const clusters: Resource[][] = Array.from({ length: clusterCount }, () => []);
  for (const resource of resources) {
    const cluster = clusterOfUnit.get(unitOf(resource));
    if (cluster !== undefined) clusters[cluster]!.push(resource);
    else for (const members of clusters) members.push(resource);
  }
  return clusters;
}
