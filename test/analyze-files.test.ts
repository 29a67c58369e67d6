import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import { analyzeFiles, analyzeSources } from '../src/core/analyze-files.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import type { SourceFile } from '../src/core/types.js';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      securityContext:
        runAsUser: 1337
      containers:
        - name: web
          image: web:1.0
          ports:
            - name: http
              containerPort: 8080
`;

const FILES: SourceFile[] = [
  { path: 'svc.yaml', text: SERVICE },
  { path: 'deploy.yaml', text: DEPLOYMENT },
  { path: 'broken.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n' },
];

describe('the analysis of files', () => {
  it('is what analyze gives when there is no chart', () => {
    expect(analyzeFiles(FILES, DEFAULT_CONFIG, { filterPaths: false })).toEqual(analyze(FILES, DEFAULT_CONFIG, { filterPaths: false, charts: [] }));
  });

  it('makes only the findings of the files asked for, the other files still read: a fix proof reads those of its render alone', () => {
    const whole = analyzeFiles(FILES, DEFAULT_CONFIG, { filterPaths: false });
    expect(whole.findings.map((finding) => `${finding.file} ${finding.ruleId}`)).toEqual([
      'broken.yaml parse-error',
      'deploy.yaml version-label',
      'deploy.yaml reserved-uid',
      'svc.yaml port-protocol',
    ]);
    const serviceOnly = analyzeSources(FILES, DEFAULT_CONFIG, { filterPaths: false }, [], undefined, new Set(['svc.yaml']));
    expect(serviceOnly.findings).toEqual(whole.findings.filter((finding) => finding.file === 'svc.yaml'));
    // The Service's fix names the container port of the Deployment in the other file.
    expect(serviceOnly.findings[0]!.fix!.description).toBe('add appProtocol: http (container port name "http")');
    expect(serviceOnly.stats).toEqual(whole.stats);
  });
});
