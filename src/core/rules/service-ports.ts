import type { MeshModel, ServicePort } from '../mesh.js';
import { ISTIO_PORT_NAME_PROTOCOLS, SERVER_FIRST_PROTOCOLS, imageName, portNamePrefix, protocolForPortNumber } from '../protocols.js';
import type { ServerFirstProtocol } from '../protocols.js';
import type { NodePath } from '../types.js';

/** Where a finding about a Service port points: its name, else the whole port item. */
export function servicePortPath(port: ServicePort): NodePath {
  return port.name !== undefined ? [...port.path, 'name'] : port.path;
}

/** The ports of application Services whose protocol Istio has to sniff. */
export function sniffedServicePorts(mesh: MeshModel): ServicePort[] {
  return mesh.applicationServices().flatMap((service) => service.ports.filter((port) => !port.protocol.declared));
}

export function describeServicePort(port: ServicePort): string {
  const name = port.name !== undefined ? ` "${port.name}"` : '';
  return `Service port${name} ${port.port ?? '?'}`;
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
