import type { MeshModel, MtlsPolicy, ServicePort } from '../mesh.js';
import { ISTIO_PORT_NAME_PROTOCOLS, SERVER_FIRST_PROTOCOLS, imageName, portNamePrefix, protocolForPortNumber } from '../protocols.js';
import type { ServerFirstProtocol } from '../protocols.js';
import type { NodePath } from '../types.js';
import type { Workload } from '../workloads.js';

/** Where a finding about a Service port points: its name, else the whole port item. */
export function servicePortPath(port: ServicePort): NodePath {
  return port.name !== undefined ? [...port.path, 'name'] : port.path;
}

/** The ports of application Services whose protocol Istio has to sniff (ExternalName Services have a rule of their own). */
export function sniffedServicePorts(mesh: MeshModel): ServicePort[] {
  return mesh
    .applicationServices()
    .filter((service) => !service.externalName)
    .flatMap((service) => service.ports.filter((port) => !port.protocol.declared));
}

export function describeServicePort(port: ServicePort): string {
  const name = port.name !== undefined ? ` "${port.name}"` : '';
  return `Service port${name} ${port.port ?? '?'}`;
}

/** `Service "web" port "http" 80`: a port named with its Service, for findings that compare two. */
export function describeServicePortOf(port: ServicePort): string {
  const name = port.name !== undefined ? ` "${port.name}"` : '';
  return `Service "${port.service.name}" port${name} ${port.port ?? '?'}`;
}

/**
 * For one workload, the pod ports that application Services reach and the Service ports
 * reaching each, in the change's order. UDP ports are left out: the sidecar does not
 * proxy UDP, and a TCP and a UDP port of one number are two sockets, not a conflict.
 */
export function servicePortsByPodPort(mesh: MeshModel, workload: Workload): Map<number, ServicePort[]> {
  const byPodPort = new Map<number, ServicePort[]>();
  for (const { ports, istioManaged } of mesh.servicesSelecting(workload)) {
    if (istioManaged) continue;
    for (const port of ports) {
      if (port.protocol.declared && port.protocol.protocol === 'udp') continue;
      const target = mesh.targetContainerPort(port, workload)?.number;
      if (target === undefined) continue;
      const reaching = byPodPort.get(target);
      if (reaching) reaching.push(port);
      else byPodPort.set(target, [port]);
    }
  }
  return byPodPort;
}

/** The server-first protocol a Service port carries, judged by its number, name and the images behind it. */
export function serverFirstProtocolOf(mesh: MeshModel, port: ServicePort): ServerFirstProtocol | undefined {
  const nameTokens = (port.name ?? '').toLowerCase().split(/[-_]/);
  const images = mesh
    .selectedWorkloads(port.service)
    .flatMap((workload) => workload.containers.filter((container) => !container.init && container.image))
    .map((container) => imageName(container.image!));
  return SERVER_FIRST_PROTOCOLS.find(
    (candidate) =>
      (port.port !== undefined && candidate.ports.includes(port.port)) ||
      candidate.names.some((name) => nameTokens.includes(name)) ||
      candidate.images.some((image) => images.includes(image)),
  );
}

export interface ServerFirstStall {
  serverFirst: ServerFirstProtocol;
  /** The PeerAuthentication in the change that makes plaintext clients fail, if one does. */
  permissive?: MtlsPolicy;
}

/**
 * Whether connections to a sniffed Service port stall: a server-first protocol behind an
 * injected workload whose mTLS does not make every connection TLS (client-first).
 */
export function serverFirstStall(mesh: MeshModel, port: ServicePort): ServerFirstStall | undefined {
  if (port.protocol.declared) return undefined;
  const serverFirst = serverFirstProtocolOf(mesh, port);
  if (!serverFirst) return undefined;
  const selected = mesh.selectedWorkloads(port.service);
  const workloads = selected.filter((workload) => mesh.isInjected(workload));
  if (selected.length > 0 ? workloads.length === 0 : !mesh.namespaceMayInject(port.service.namespace)) return undefined;
  const policies = workloads.map((workload) => mesh.mtlsPolicy(workload, mesh.targetContainerPort(port, workload)?.number));
  // Under STRICT everything arrives as TLS (client-first); under DISABLE nothing is sniffed as mTLS.
  if (policies.length > 0 && policies.every((policy) => policy && policy.mode !== 'PERMISSIVE')) return undefined;
  const permissive = policies.find((policy) => policy?.mode === 'PERMISSIVE');
  return { serverFirst, ...(permissive ? { permissive } : {}) };
}

export interface InferredProtocol {
  protocol: string;
  /** Whether it is read from the manifests (safe to apply) or guessed from a port number. */
  certain: boolean;
  reason: string;
}

/** The protocol a fix should declare for an undeclared Service port, when one can be told. */
export function inferProtocol(mesh: MeshModel, port: ServicePort): InferredProtocol | undefined {
  if (serverFirstProtocolOf(mesh, port)) return { protocol: 'tcp', certain: true, reason: 'server-first protocol' };
  const fromName = (port.name ?? '')
    .toLowerCase()
    .split(/[-_]/)
    .find((token) => ISTIO_PORT_NAME_PROTOCOLS.has(token));
  if (fromName) return { protocol: fromName, certain: true, reason: `port name "${port.name}"` };
  for (const workload of mesh.selectedWorkloads(port.service)) {
    const target = mesh.targetContainerPort(port, workload)?.containerPort;
    const prefix = target?.name !== undefined ? portNamePrefix(target.name) : undefined;
    if (prefix && ISTIO_PORT_NAME_PROTOCOLS.has(prefix)) {
      return { protocol: prefix, certain: true, reason: `container port name "${target!.name}"` };
    }
  }
  const byNumber = port.port !== undefined ? protocolForPortNumber(port.port) : undefined;
  return byNumber ? { protocol: byNumber, certain: false, reason: `usual protocol of port ${port.port}` } : undefined;
}
