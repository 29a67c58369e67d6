/**
 * How Istio decides the protocol of a Service port (its "Protocol Selection" page):
 * `appProtocol` wins, then the port name's prefix, then a few well-known port numbers;
 * anything else is sniffed.
 */

export const ISTIO_PORT_NAME_PROTOCOLS = new Set([
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'http_proxy',
  'tcp',
  'tls',
  'mongo',
  'mysql',
  'redis',
  'udp',
]);

/** Kubernetes' standard `appProtocol` values and what Istio makes of them. */
const KUBERNETES_APP_PROTOCOLS: Record<string, string> = {
  'kubernetes.io/h2c': 'http2',
  'kubernetes.io/ws': 'http',
  'kubernetes.io/wss': 'tls',
};

/** Ports Istio treats as TCP when nothing declares their protocol. */
export const ISTIO_DEFAULT_TCP_PORTS = new Set([25, 53, 3306, 27017]);

export type ProtocolSource = 'appProtocol' | 'name' | 'kubernetes-protocol' | 'default-port';

export type ProtocolDeclaration =
  | { declared: true; protocol: string; source: ProtocolSource }
  | { declared: false; problem: 'unnamed' | 'unknown-name' | 'unknown-appProtocol'; detail?: string };

export interface ServicePortFields {
  port?: number;
  name?: string;
  protocol?: string;
  appProtocol?: string;
}

export function portNamePrefix(name: string): string {
  const dash = name.indexOf('-');
  // `grpc-web` is the one protocol whose own name contains a dash.
  if (name.toLowerCase().startsWith('grpc-web')) return 'grpc-web';
  return (dash === -1 ? name : name.slice(0, dash)).toLowerCase();
}

export function declaredProtocol(port: ServicePortFields): ProtocolDeclaration {
  if (port.protocol?.toUpperCase() === 'UDP') return { declared: true, protocol: 'udp', source: 'kubernetes-protocol' };
  if (port.appProtocol !== undefined) {
    const value = port.appProtocol.toLowerCase();
    if (ISTIO_PORT_NAME_PROTOCOLS.has(value)) return { declared: true, protocol: value, source: 'appProtocol' };
    const kubernetes = KUBERNETES_APP_PROTOCOLS[value];
    if (kubernetes) return { declared: true, protocol: kubernetes, source: 'appProtocol' };
    return { declared: false, problem: 'unknown-appProtocol', detail: port.appProtocol };
  }
  if (port.name) {
    const prefix = portNamePrefix(port.name);
    if (ISTIO_PORT_NAME_PROTOCOLS.has(prefix)) return { declared: true, protocol: prefix, source: 'name' };
  }
  if (port.port !== undefined && ISTIO_DEFAULT_TCP_PORTS.has(port.port)) {
    return { declared: true, protocol: 'tcp', source: 'default-port' };
  }
  return port.name ? { declared: false, problem: 'unknown-name', detail: port.name } : { declared: false, problem: 'unnamed' };
}

/**
 * What an inbound listener can serve on one port: Envoy runs either an HTTP connection
 * manager or a TCP proxy there, so two Services declaring protocols of different
 * families on the same pod port cannot both be honoured.
 */
export function protocolFamily(protocol: string): 'http' | 'tcp' | 'udp' {
  if (['http', 'http2', 'grpc', 'grpc-web', 'http_proxy'].includes(protocol)) return 'http';
  if (protocol === 'udp') return 'udp';
  return 'tcp';
}

/** Protocols whose server speaks first: Istio's sniffing waits for the client and stalls. */
export interface ServerFirstProtocol {
  protocol: string;
  ports: number[];
  /** Image names (the last path segment, without tag) that serve it. */
  images: string[];
  /** Port name prefixes that say it without being an Istio protocol. */
  names: string[];
}

export const SERVER_FIRST_PROTOCOLS: ServerFirstProtocol[] = [
  { protocol: 'MySQL', ports: [3306, 3307, 33060], images: ['mysql', 'mariadb', 'percona', 'percona-server', 'mysql-server'], names: ['mariadb'] },
  { protocol: 'SMTP', ports: [25, 587, 2525], images: ['postfix', 'exim', 'exim4', 'mailhog', 'mailpit'], names: ['smtp'] },
  { protocol: 'FTP', ports: [21], images: ['vsftpd', 'pure-ftpd', 'proftpd'], names: ['ftp'] },
  { protocol: 'POP3', ports: [110], images: ['dovecot'], names: ['pop3', 'pop'] },
  { protocol: 'IMAP', ports: [143], images: [], names: ['imap'] },
  { protocol: 'SSH', ports: [22, 2222], images: ['openssh-server', 'gitea', 'gogs'], names: ['ssh', 'sftp'] },
  { protocol: 'NATS', ports: [4222], images: ['nats', 'nats-streaming'], names: ['nats'] },
];

export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return (colon === -1 ? lastSegment : lastSegment.slice(0, colon)).toLowerCase();
}

export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  const tag = colon === -1 ? undefined : lastSegment.slice(colon + 1);
  return tag && tag !== 'latest' ? tag : undefined;
}

/** A guess at the protocol of a port from its number, for suggested fixes. */
export function protocolForPortNumber(port: number): string | undefined {
  if ([80, 8000, 8080, 8081, 3000, 5000, 9080, 9090].includes(port)) return 'http';
  if ([443, 8443].includes(port)) return 'https';
  if (port === 6379) return 'redis';
  if ([50051].includes(port)) return 'grpc';
  return undefined;
}
