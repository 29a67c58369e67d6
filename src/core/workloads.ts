import { asArray, asObject, stringMap } from './manifest.js';
import type { JsonObject, Resource } from './manifest.js';
import type { NodePath } from './types.js';

/** Where each workload kind keeps its pod template, relative to the resource. */
const POD_TEMPLATE_PATHS: Record<string, NodePath> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Rollout: ['spec', 'template'],
};

export const ISTIO_PROXY_CONTAINER = 'istio-proxy';

export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: string;
  path: NodePath;
}

export interface Container {
  name: string;
  image?: string;
  init: boolean;
  /** Relative to the resource. */
  path: NodePath;
  spec: JsonObject;
  ports: ContainerPort[];
}

export interface Workload {
  resource: Resource;
  /** Relative to the resource: `[]` for a Pod, `['spec', 'template']` for a Deployment. */
  templatePath: NodePath;
  podMetadata: JsonObject | undefined;
  podSpec: JsonObject;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  containers: Container[];
}

function getPath(object: JsonObject, path: NodePath): unknown {
  let value: unknown = object;
  for (const segment of path) {
    if (typeof segment === 'number') value = asArray(value)[segment];
    else value = asObject(value)?.[segment];
  }
  return value;
}

function containersOf(podSpec: JsonObject, templatePath: NodePath): Container[] {
  const containers: Container[] = [];
  for (const [field, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const) {
    asArray(podSpec[field]).forEach((entry, index) => {
      const spec = asObject(entry);
      if (!spec) return;
      const path = [...templatePath, 'spec', field, index];
      const ports: ContainerPort[] = [];
      asArray(spec.ports).forEach((portEntry, portIndex) => {
        const port = asObject(portEntry);
        if (!port || typeof port.containerPort !== 'number') return;
        ports.push({
          containerPort: port.containerPort,
          ...(typeof port.name === 'string' ? { name: port.name } : {}),
          ...(typeof port.protocol === 'string' ? { protocol: port.protocol } : {}),
          path: [...path, 'ports', portIndex],
        });
      });
      containers.push({
        name: typeof spec.name === 'string' ? spec.name : `#${index}`,
        ...(typeof spec.image === 'string' ? { image: spec.image } : {}),
        init,
        path,
        spec,
        ports,
      });
    });
  }
  return containers;
}

/** The kinds that can be workloads: those with a pod template. */
export function hasPodTemplateKind(resource: Resource): boolean {
  return resource.kind in POD_TEMPLATE_PATHS;
}

/** The pod template of a workload resource, or undefined for any other kind. */
export function workloadOf(resource: Resource): Workload | undefined {
  if (!hasPodTemplateKind(resource)) return undefined;
  const templatePath = POD_TEMPLATE_PATHS[resource.kind]!;
  // Only Argo's Rollout is a workload; other CRDs may be called Rollout too.
  if (resource.kind === 'Rollout' && !resource.apiVersion.startsWith('argoproj.io/')) return undefined;
  const template = asObject(getPath(resource.object, templatePath));
  const podSpec = asObject(template?.spec);
  if (!template || !podSpec) return undefined;
  const podMetadata = asObject(template.metadata);
  return {
    resource,
    templatePath,
    podMetadata,
    podSpec,
    podLabels: { ...resource.inheritedPodLabels, ...stringMap(podMetadata?.labels) },
    podAnnotations: stringMap(podMetadata?.annotations),
    containers: containersOf(podSpec, templatePath),
  };
}

/** The containers the application runs: everything but an explicitly declared sidecar. */
export function applicationContainers(workload: Workload): Container[] {
  return workload.containers.filter((container) => container.name !== ISTIO_PROXY_CONTAINER);
}
