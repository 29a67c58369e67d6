import { asArray, asObject } from './manifest.js';
import type { Resource } from './manifest.js';
import { declaredProtocol } from './protocols.js';
import type { ProtocolDeclaration } from './protocols.js';
import type { NodePath } from './types.js';
import { ISTIO_PROXY_CONTAINER, hasPodTemplateKind, workloadOf } from './workloads.js';
import type { ContainerPort, Workload } from './workloads.js';

/** What the manifests cannot show; set in the repo config. */
export interface MeshFacts {
  /** Istio CNI does the traffic redirection: pods need no NET_ADMIN/NET_RAW. */
  cni: boolean;
  /** Whether namespaces not in the change have sidecar injection on. */
  namespacesInjectedByDefault: boolean;
  /** Istio's root namespace, where a PeerAuthentication applies mesh-wide. */
  rootNamespace: string;
}

export const DEFAULT_MESH_FACTS: MeshFacts = { cni: false, namespacesInjectedByDefault: true, rootNamespace: 'istio-system' };

export interface ServicePort {
  service: Resource;
  /** Relative to the Service resource. */
  path: NodePath;
  port: number | undefined;
  name: string | undefined;
  appProtocol: string | undefined;
  /** Kubernetes defaults `targetPort` to `port`. */
  targetPort: number | string | undefined;
  /** Where the target port is written: `targetPort`, or `port` when it defaults to it. */
  targetPortPath: NodePath;
  protocol: ProtocolDeclaration;
}

export interface MeshService {
  resource: Resource;
  ports: ServicePort[];
  istioManaged: boolean;
  /** A DNS alias for a host outside the cluster: no pods of its own. */
  externalName: boolean;
}

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface MtlsPolicy {
  mode: MtlsMode;
  peerAuthentication: Resource;
}

const INJECT = 'sidecar.istio.io/inject';
const INJECTION_LABEL = 'istio-injection';
const REVISION_LABEL = 'istio.io/rev';
const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';

/** Namespaces Istio's injector never touches (`IgnoredNamespaces` in istio/istio's pkg/kube/inject). */
export const ISTIO_IGNORED_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/**
 * How a workload's pods run in the mesh: with a sidecar, in ambient mode (no sidecar,
 * traffic through ztunnel), or outside it.
 */
export type DataplaneMode = 'sidecar' | 'ambient' | 'none';

/**
 * Istio's own workloads and Services: the control plane and every kind of gateway
 * (`istioctl analyze` skips anything with an `istio` label or `release: istio`; Gateway API
 * deployments carry the gateway labels; injected gateways ask for the gateway template).
 */
export function isIstioOwned(labels: Record<string, string>, annotations: Record<string, string> = {}): boolean {
  return (
    'istio' in labels ||
    labels.release === 'istio' ||
    labels.app === 'istiod' ||
    'gateway.istio.io/managed' in labels ||
    'istio.io/gateway-name' in labels ||
    'gateway.networking.k8s.io/gateway-name' in labels ||
    (annotations['inject.istio.io/templates'] ?? '').split(',').some((template) => template.trim() === 'gateway')
  );
}

/**
 * Whether a namespace's own labels bring Istio's injection webhook to its pods:
 * `istio-injection=enabled`, or `istio.io/rev` when `istio-injection` is absent (any other
 * value of it keeps every webhook away).
 */
export function namespaceLabelsInject(labels: Record<string, string>): boolean {
  const injection = labels[INJECTION_LABEL];
  return injection === 'enabled' || (injection === undefined && REVISION_LABEL in labels);
}

const MODELLED_KINDS = new Set(['Service', 'Namespace', 'PeerAuthentication', 'PodSecurityPolicy']);

/** Whether the analysis reads a resource at all (by its kind): anything else bears on no finding. */
export function isModelled(resource: Resource): boolean {
  return MODELLED_KINDS.has(resource.kind) || hasPodTemplateKind(resource);
}

function isPeerAuthentication(resource: Resource): boolean {
  return resource.kind === 'PeerAuthentication' && resource.apiVersion.startsWith('security.istio.io/');
}

/**
 * What a cluster must hold to tell the findings that may change when the `varying`
 * resources (those not in every cluster) come and go: every resource joined to one of them
 * through what the rules read (a Service and the workloads it may select, a Namespace and
 * what is in it, a PeerAuthentication that varies and the workloads it may apply to), and
 * every PeerAuthentication, which has no findings of its own but may decide any workload's
 * mTLS. Any other resource meets the same resources in every cluster, so its findings are
 * those of any one cluster. `resources` are those of all clusters together.
 */
export function dependentsOf(resources: Resource[], varying: ReadonlySet<Resource>, facts: MeshFacts): Set<Resource> {
  const parent = new Map<Resource, Resource>();
  const root = (resource: Resource): Resource => {
    let top = resource;
    while (parent.has(top)) top = parent.get(top)!;
    for (let step = resource; step !== top; ) {
      const next = parent.get(step)!;
      parent.set(step, top);
      step = next;
    }
    return top;
  };
  const join = (a: Resource, b: Resource) => {
    const [rootA, rootB] = [root(a), root(b)];
    if (rootA !== rootB) parent.set(rootA, rootB);
  };
  const union = new MeshModel(resources, facts);
  // Every definition of each Namespace: the union's map keeps one a name.
  const namespaceResources = new Map<string, Resource[]>();
  for (const namespace of union.namespaceResources) namespaceResources.set(namespace.name, [...(namespaceResources.get(namespace.name) ?? []), namespace]);
  const joinNamespace = (resource: Resource) => {
    const namespaces = resource.namespace !== undefined ? namespaceResources.get(resource.namespace) : undefined;
    if (namespaces) for (const namespace of namespaces) join(resource, namespace);
  };
  for (const { resource } of union.services) {
    joinNamespace(resource);
    for (const workload of union.selectedWorkloads(resource)) join(resource, workload.resource);
  }
  for (const workload of union.workloads) joinNamespace(workload.resource);
  // A policy found in every cluster is the same wherever it applies: only one that varies joins.
  for (const policy of union.peerAuthentications.filter((candidate) => varying.has(candidate))) {
    const matchLabels = asObject(asObject(asObject(policy.object.spec)?.selector)?.matchLabels) ?? {};
    const meshWide = policy.namespace === facts.rootNamespace;
    for (const workload of union.workloads) {
      const inScope = meshWide || (workload.resource.namespace === policy.namespace && (Object.keys(matchLabels).length === 0 || matchesLabels(matchLabels, workload.podLabels)));
      if (inScope) join(policy, workload.resource);
    }
  }
  const reached = new Set([...varying].map(root));
  return new Set(resources.filter((resource) => reached.has(root(resource)) || isPeerAuthentication(resource)));
}

/** A namespace key: workloads with no namespace meet Services with no namespace. */
function namespaceKey(resource: Resource): string {
  return resource.namespace ?? '';
}

function servicePortsOf(service: Resource): ServicePort[] {
  const spec = asObject(service.object.spec);
  return asArray(spec?.ports).flatMap((entry, index) => {
    const port = asObject(entry);
    if (!port) return [];
    const fields = {
      port: typeof port.port === 'number' ? port.port : undefined,
      name: typeof port.name === 'string' ? port.name : undefined,
      appProtocol: typeof port.appProtocol === 'string' ? port.appProtocol : undefined,
      protocol: typeof port.protocol === 'string' ? port.protocol : undefined,
    };
    const explicitTarget = typeof port.targetPort === 'number' || typeof port.targetPort === 'string';
    const targetPort = explicitTarget ? (port.targetPort as number | string) : fields.port;
    return [
      {
        service,
        path: ['spec', 'ports', index],
        port: fields.port,
        name: fields.name,
        appProtocol: fields.appProtocol,
        targetPort,
        targetPortPath: ['spec', 'ports', index, explicitTarget ? 'targetPort' : 'port'],
        protocol: declaredProtocol({
          ...(fields.port !== undefined ? { port: fields.port } : {}),
          ...(fields.name !== undefined ? { name: fields.name } : {}),
          ...(fields.protocol !== undefined ? { protocol: fields.protocol } : {}),
          ...(fields.appProtocol !== undefined ? { appProtocol: fields.appProtocol } : {}),
        }),
      },
    ];
  });
}

function labelIndexKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}\u0000${value}`;
}

function matchesLabels(selector: Record<string, unknown>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === String(value));
}

/** Services installed and owned by Istio itself (gateways, waypoints): their ports are Istio's to choose. */
function isIstioManagedService(service: Resource, ports: ServicePort[]): boolean {
  return (
    isIstioOwned(service.labels, service.annotations) ||
    ISTIO_IGNORED_NAMESPACES.has(service.namespace ?? '') ||
    ports.some((port) => port.appProtocol?.toLowerCase() === 'hbone')
  );
}

/** What a resource is to the model. */
type Role =
  | { workload: Workload }
  | { service: MeshService }
  | { namespace: true }
  | { peerAuthentication: true }
  | { podSecurityPolicy: true }
  | undefined;

function roleOf(resource: Resource): Role {
  const workload = workloadOf(resource);
  if (workload) return { workload };
  // A patch says nothing of the ports, policies or labels its base has.
  if (resource.partial) return undefined;
  if (resource.kind === 'Service' && resource.apiVersion === 'v1') {
    const ports = servicePortsOf(resource);
    return { service: { resource, ports, istioManaged: isIstioManagedService(resource, ports), externalName: asObject(resource.object.spec)?.type === 'ExternalName' } };
  }
  if (resource.kind === 'Namespace' && resource.apiVersion === 'v1') return { namespace: true };
  if (isPeerAuthentication(resource)) return { peerAuthentication: true };
  if (resource.kind === 'PodSecurityPolicy') return { podSecurityPolicy: true };
  return undefined;
}

// Alternatives put one resource in many clusters, each with a model of its own: what the
// resource itself says is worked out once. Resources are never changed once parsed.
const knownRoles = new WeakMap<Resource, { role: Role }>();
function memoisedRoleOf(resource: Resource): Role {
  let known = knownRoles.get(resource);
  if (!known) knownRoles.set(resource, (known = { role: roleOf(resource) }));
  return known.role;
}

/** Everything in the change that spans resources: namespaces, selection, ports, policies. */
export class MeshModel {
  readonly workloads: Workload[] = [];
  readonly services: MeshService[] = [];
  /** The change's Namespaces by name. */
  readonly namespaces = new Map<string, Resource>();
  /** Every Namespace resource, copies of one included: each is reported on. */
  readonly namespaceResources: Resource[] = [];
  readonly peerAuthentications: Resource[] = [];
  readonly podSecurityPolicies: Resource[] = [];
  /** Workloads by namespace and one pod label, so selection costs no scan of every workload. */
  private readonly workloadsByLabel = new Map<string, Workload[]>();
  private readonly selectionCache = new Map<Resource, Workload[]>();
  private selectingCache: Map<Workload, MeshService[]> | undefined;
  private injectedCache: Workload[] | undefined;

  constructor(
    readonly resources: Resource[],
    readonly facts: MeshFacts,
  ) {
    for (const resource of resources) {
      const role = memoisedRoleOf(resource);
      if (!role) continue;
      if ('workload' in role) this.workloads.push(role.workload);
      else if ('service' in role) this.services.push(role.service);
      else if ('namespace' in role) {
        this.namespaces.set(resource.name, resource);
        this.namespaceResources.push(resource);
      }
      else if ('peerAuthentication' in role) this.peerAuthentications.push(resource);
      else this.podSecurityPolicies.push(resource);
    }
    for (const workload of this.workloads) {
      if (workload.resource.partial) continue;
      for (const [key, value] of Object.entries(workload.podLabels)) {
        const indexKey = labelIndexKey(namespaceKey(workload.resource), key, value);
        const bucket = this.workloadsByLabel.get(indexKey);
        if (bucket) bucket.push(workload);
        else this.workloadsByLabel.set(indexKey, [workload]);
      }
    }
  }

  /** The Services of the change that Istio does not own: the ones whose ports are the application's to declare. */
  applicationServices(): MeshService[] {
    return this.services.filter((service) => !service.istioManaged);
  }

  /**
   * How Istio runs the workload's pods, as its injection webhook decides: the webhook's
   * namespace and object selectors (istio-discovery's mutatingwebhook.yaml), then the
   * injector's own refusals (`injectRequired`: host network, ignored namespaces, the
   * `sidecar.istio.io/inject` label or annotation). A namespace not in the change is
   * what the config assumes of it.
   */
  dataplaneMode(workload: Workload): DataplaneMode {
    const { podLabels, podAnnotations } = workload;
    const namespace = workload.resource.namespace;
    if (workload.podSpec.hostNetwork === true || ISTIO_IGNORED_NAMESPACES.has(namespace ?? '')) return 'none';
    if (isIstioOwned(podLabels, podAnnotations) || isIstioOwned(workload.resource.labels, workload.resource.annotations)) return 'none';
    // `istioctl kube-inject` output: the sidecar is already in the manifest.
    if (workload.containers.some((container) => container.name === ISTIO_PROXY_CONTAINER && container.image !== undefined && container.image !== 'auto')) {
      return 'sidecar';
    }
    // The label is the newer API: with both, the injector prefers it.
    if ((podLabels[INJECT] ?? podAnnotations[INJECT]) === 'false') return 'none';
    const objectSelected = podLabels[INJECT] === 'true' || REVISION_LABEL in podLabels;
    const namespaceResource = namespace !== undefined ? this.namespaces.get(namespace) : undefined;
    const ambient = podLabels[DATAPLANE_MODE_LABEL] === 'ambient' || namespaceResource?.labels[DATAPLANE_MODE_LABEL] === 'ambient';
    if (namespaceResource) {
      // The object selectors apply only where the namespace has no injection label at all.
      const unlabelled = namespaceResource.labels[INJECTION_LABEL] === undefined && !(REVISION_LABEL in namespaceResource.labels);
      if (namespaceLabelsInject(namespaceResource.labels) || (unlabelled && objectSelected)) return 'sidecar';
      return ambient ? 'ambient' : 'none';
    }
    if (objectSelected) return 'sidecar';
    if (ambient) return 'ambient';
    return this.facts.namespacesInjectedByDefault ? 'sidecar' : 'none';
  }

  /** Whether Istio injects a sidecar into the workload's pods. */
  isInjected(workload: Workload): boolean {
    return this.dataplaneMode(workload) === 'sidecar';
  }

  /**
   * Whether pods of a namespace may get sidecars, for Services whose workloads are not in
   * the change: a namespace of the change only with an injection label.
   */
  namespaceMayInject(namespace: string | undefined): boolean {
    if (ISTIO_IGNORED_NAMESPACES.has(namespace ?? '')) return false;
    const namespaceResource = namespace !== undefined ? this.namespaces.get(namespace) : undefined;
    if (!namespaceResource) return this.facts.namespacesInjectedByDefault;
    return namespaceLabelsInject(namespaceResource.labels);
  }

  injectedWorkloads(): Workload[] {
    this.injectedCache ??= this.workloads.filter((workload) => this.isInjected(workload));
    return this.injectedCache;
  }

  workloadsIn(namespace: string): Workload[] {
    return this.workloads.filter((workload) => workload.resource.namespace === namespace);
  }

  /** The workloads of the change whose pods a Service selects (same namespace, every selector label). */
  selectedWorkloads(service: Resource): Workload[] {
    let selected = this.selectionCache.get(service);
    if (!selected) {
      const selector = asObject(asObject(service.object.spec)?.selector);
      const first = selector ? Object.entries(selector)[0] : undefined;
      const candidates = first ? (this.workloadsByLabel.get(labelIndexKey(namespaceKey(service), first[0], String(first[1]))) ?? []) : [];
      selected = candidates.filter((workload) => matchesLabels(selector!, workload.podLabels));
      this.selectionCache.set(service, selected);
    }
    return selected;
  }

  /** The Services of the change that select a workload's pods, in the order of the change. */
  servicesSelecting(workload: Workload): MeshService[] {
    if (!this.selectingCache) {
      this.selectingCache = new Map();
      for (const service of this.services) {
        for (const selected of this.selectedWorkloads(service.resource)) {
          const services = this.selectingCache.get(selected);
          if (services) services.push(service);
          else this.selectingCache.set(selected, [service]);
        }
      }
    }
    return this.selectingCache.get(workload) ?? [];
  }

  /** The container port a Service port reaches in a workload, resolving named target ports. */
  targetContainerPort(servicePort: ServicePort, workload: Workload): { number: number; containerPort?: ContainerPort } | undefined {
    const target = servicePort.targetPort;
    const ports = workload.containers.filter((container) => !container.init).flatMap((container) => container.ports);
    if (typeof target === 'number') {
      const containerPort = ports.find((port) => port.containerPort === target);
      return { number: target, ...(containerPort ? { containerPort } : {}) };
    }
    if (typeof target === 'string') {
      const containerPort = ports.find((port) => port.name === target);
      return containerPort ? { number: containerPort.containerPort, containerPort } : undefined;
    }
    return undefined;
  }

  /**
   * The PeerAuthentication in the change that decides mTLS for a workload's port:
   * workload selector beats namespace-wide beats mesh-wide, and a port-level setting
   * beats the policy's own mode. Undefined when none in the change applies.
   */
  mtlsPolicy(workload: Workload, containerPort: number | undefined): MtlsPolicy | undefined {
    const namespace = workload.resource.namespace;
    const candidates = this.peerAuthentications
      .map((resource) => {
        const spec = asObject(resource.object.spec) ?? {};
        const matchLabels = asObject(asObject(spec.selector)?.matchLabels);
        let precedence = 0;
        if (matchLabels && Object.keys(matchLabels).length > 0) {
          if (resource.namespace === namespace && matchesLabels(matchLabels, workload.podLabels)) precedence = 3;
        } else if (resource.namespace !== undefined && resource.namespace === namespace) precedence = 2;
        else if (resource.namespace === this.facts.rootNamespace) precedence = 1;
        return { resource, spec, precedence };
      })
      .filter((candidate) => candidate.precedence > 0)
      .sort((a, b) => b.precedence - a.precedence);

    for (const { resource, spec } of candidates) {
      const portLevel = containerPort !== undefined ? asObject(asObject(spec.portLevelMtls)?.[String(containerPort)]) : undefined;
      const mode = modeOf(portLevel?.mode) ?? modeOf(asObject(spec.mtls)?.mode);
      if (mode) return { mode, peerAuthentication: resource };
    }
    return undefined;
  }
}

function modeOf(value: unknown): MtlsMode | undefined {
  return value === 'STRICT' || value === 'PERMISSIVE' || value === 'DISABLE' ? value : undefined;
}
