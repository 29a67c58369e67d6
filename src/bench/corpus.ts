import type { SourceFile } from '../core/types.js';

/**
 * A generated repository of manifests: Deployments with Services, StatefulSets, Jobs,
 * ConfigMaps; about one in five resources carries a mesh problem, as real repos do.
 */
function deployment(name: string, index: number): string {
  const uid = index % 17 === 0 ? 1337 : 1000 + (index % 100);
  const version = index % 5 === 0 ? '' : `\n        version: v${index % 3}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${index % 20}
  labels:
    app: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}${version}
      annotations:
        prometheus.io/scrape: "true"
    spec:
      securityContext:
        runAsUser: ${uid}
        runAsNonRoot: true
      containers:
        - name: ${name}
          image: registry.example.com/${name}:1.${index % 10}.0
          args: ["--port", "8080", "--log-level", "info"]
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: ${index % 23 === 0 ? 15020 : 9102}
          env:
            - name: SERVICE_NAME
              value: ${name}
            - name: GOMAXPROCS
              value: "2"
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: "1", memory: 256Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
`;
}

function service(name: string, index: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: team-${index % 20}
spec:
  selector:
    app: ${name}
  ports:
    - name: ${index % 7 === 0 ? 'web' : 'http'}
      port: 80
      targetPort: http
    - name: metrics
      port: 9102
      appProtocol: http
`;
}

function configMap(name: string, index: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: team-${index % 20}
data:
  settings.yaml: |
    feature: ${index % 2 === 0 ? 'on' : 'off'}
    retries: 3
    # a comment inside a block scalar
  LOG_FORMAT: json
`;
}

/** `documents` documents spread over files of `perFile` documents each (a list: taken in turn, file by file). */
export function generateCorpus(documents: number, perFile: number | number[] = 50): SourceFile[] {
  const files: SourceFile[] = [];
  const sizes = typeof perFile === 'number' ? [perFile] : perFile;
  let index = 0;
  while (index < documents) {
    const parts: string[] = [];
    const size = sizes[files.length % sizes.length]!;
    for (let inFile = 0; inFile < size && index < documents; inFile++, index++) {
      const name = `svc-${Math.floor(index / 3)}`;
      const kind = index % 3;
      parts.push(kind === 0 ? deployment(name, index) : kind === 1 ? service(name, index) : configMap(name, index));
    }
    files.push({ path: `k8s/part-${String(files.length).padStart(4, '0')}.yaml`, text: parts.join('---\n') });
  }
  return files;
}
