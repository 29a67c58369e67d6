import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { asArray, asObject, stringMap } from './manifest.js';
import type { Resource } from './manifest.js';
import { isModelled } from './mesh.js';
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

/** What a definition says, whatever the order of its keys: JSON with every map's keys sorted. */
function canonicalContent(resource: Resource): string {
  const sortedKeys = (_key: string, value: unknown): unknown =>
    asObject(value) ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value;
  return JSON.stringify([resource.object, resource.inheritedPodLabels ?? {}], sortedKeys);
}

/** One resource defined differently by different units: the units' definitions, by the contents each holds. */
interface Conflict {
  identity: string;
  /** A unit's definition: the sorted numbers of the contents it holds, joined; the numbers follow the sorted contents. */
  definitionOf: Map<string, string>;
  /** The number of each resource's content. */
  contentOf: Map<Resource, number>;
  /** Every definition, sorted: the first is what a cluster holds when none of its units define the resource. */
  definitions: string[];
}

/**
 * The resources that units of the change define differently. Copies that agree (the same
 * kind, namespace, name and content in several units) are one resource, not alternatives.
 * Sorted by identity.
 */
function conflictsOf(resources: Resource[], unitOf: (resource: Resource) => string): Conflict[] {
  const byIdentity = new Map<string, Map<string, Resource[]>>();
  for (const resource of resources) {
    // Without a name (a release note's `kind: feature`, a generateName) a resource is no one
    // object in a cluster; a kind the analysis never reads (a ConfigMap, a Gateway) bears on no finding.
    if (resource.partial || !isModelled(resource) || typeof asObject(resource.object.metadata)?.name !== 'string') continue;
    const identity = identityOf(resource);
    let units = byIdentity.get(identity);
    if (!units) byIdentity.set(identity, (units = new Map()));
    const unit = unitOf(resource);
    const defined = units.get(unit);
    if (defined) defined.push(resource);
    else units.set(unit, [resource]);
  }
  const conflicts: Conflict[] = [];
  for (const [identity, units] of byIdentity) {
    if (units.size < 2) continue;
    const copies = [...units.values()].flat();
    // Copies written alike (the common case) need no sorting of their keys to be told equal.
    const written = (resource: Resource) => JSON.stringify([resource.object, resource.inheritedPodLabels ?? {}]);
    const first = written(copies[0]!);
    if (copies.every((resource) => written(resource) === first)) continue;
    const contentText = new Map(copies.map((resource) => [resource, canonicalContent(resource)]));
    const contents = [...new Set(contentText.values())].sort();
    if (contents.length < 2) continue;
    const number = new Map(contents.map((content, index) => [content, index]));
    const contentOf = new Map([...contentText].map(([resource, content]) => [resource, number.get(content)!]));
    const definitionOf = new Map(
      [...units].map(([unit, defined]) => [unit, [...new Set(defined.map((resource) => contentOf.get(resource)!))].sort((a, b) => a - b).join(',')]),
    );
    const definitions = [...new Set(definitionOf.values())].sort();
    if (definitions.length < 2) continue;
    conflicts.push({ identity, definitionOf, contentOf, definitions });
  }
  return conflicts.sort((a, b) => (a.identity < b.identity ? -1 : 1));
}

/**
 * The clusters a change describes. Resources that units of the change (a kustomization's
 * build, or a file no single kustomization builds) define differently are alternatives (a
 * provider's variant of a manifest, an environment's copy): a cluster holds one definition
 * of each, with the definitions its units hold alongside it. Every other resource, a
 * Namespace all copies agree on or a Service defined once, is in each cluster.
 *
 * Built only from what the resources say, never from the order they come in: the units'
 * choices are merged in sorted order, each into the first cluster it agrees with, and a
 * cluster none of whose units define a conflicting resource holds its first definition (the
 * cluster has one, whichever it is). All copies of one content are always together, so
 * identical copies get identical answers.
 */
export function clustersOf(resources: Resource[], layout: KustomizeLayout): Resource[][] {
  // A file that several kustomizations build (a shared base) stands on its own, like a file that none builds.
  const unitsOfFile = new Map<string, number[]>();
  layout.units.forEach((unit, index) => unit.forEach((file) => unitsOfFile.set(file, [...(unitsOfFile.get(file) ?? []), index])));
  const unitOf = (resource: Resource): string => {
    const units = unitsOfFile.get(resource.ref.file);
    return units?.length === 1 ? `unit:${units[0]}` : `file:${resource.ref.file}`;
  };
  const conflicts = conflictsOf(resources, unitOf);
  if (conflicts.length === 0) return [resources];

  // What each unit chooses: its definition of every conflicting resource it defines.
  const choices = new Map<string, Map<Conflict, string>>();
  const unitChoices = new Map<string, Map<Conflict, string>>();
  for (const conflict of conflicts) {
    for (const [unit, definition] of conflict.definitionOf) {
      let choice = unitChoices.get(unit);
      if (!choice) unitChoices.set(unit, (choice = new Map()));
      choice.set(conflict, definition);
    }
  }
  for (const choice of unitChoices.values()) {
    const key = [...choice].map(([conflict, definition]) => `${conflict.identity}\u0001${definition}`).join('\u0002');
    choices.set(key, choice);
  }
  const clusters: Map<Conflict, string>[] = [];
  for (const key of [...choices.keys()].sort()) {
    const choice = choices.get(key)!;
    const agreeing = clusters.find((cluster) => [...choice].every(([conflict, definition]) => (cluster.get(conflict) ?? definition) === definition));
    if (agreeing) for (const [conflict, definition] of choice) agreeing.set(conflict, definition);
    else clusters.push(new Map(choice));
  }
  for (const cluster of clusters) for (const conflict of conflicts) if (!cluster.has(conflict)) cluster.set(conflict, conflict.definitions[0]!);

  const conflictOf = new Map<Resource, Conflict>();
  for (const conflict of conflicts) for (const resource of conflict.contentOf.keys()) conflictOf.set(resource, conflict);
  const heldContents = clusters.map((cluster) => new Map([...cluster].map(([conflict, definition]) => [conflict, new Set(definition.split(',').map(Number))])));
  return heldContents.map((held) =>
    resources.filter((resource) => {
      const conflict = conflictOf.get(resource);
      return !conflict || held.get(conflict)!.has(conflict.contentOf.get(resource)!);
    }),
  );
}
