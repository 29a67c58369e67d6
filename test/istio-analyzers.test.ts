import { describe, expect, it } from 'vitest';
import { RULES } from '../src/core/rules/index.js';
import type { Finding } from '../src/core/types.js';
import { fixture, lint } from './helpers.js';

/**
 * Istio's own analyzer tests (analyzers_test.go at the commit named in
 * fixtures/istio-analyzers/README.md): each file, and the messages Istio expects of it, as
 * `code resource`. meshready's counterpart rules must say exactly the same of each file.
 */
const ISTIO_EXPECTS: Record<string, string[]> = {
  'service-no-port-name.yaml': [
    'IST0118 Service my-namespace1/my-service1',
    'IST0118 Service my-namespace1/my-service1',
    'IST0118 Service my-namespace2/my-service2',
  ],
  'service-port-name.yaml': [],
  'service-no-port-name-system-namespace.yaml': [],
  'incorrect-port-name-external-name-service-type.yaml': [
    'IST0150 Service nginx-ns/nginx',
    'IST0150 Service nginx-ns2/nginx-svc2',
    'IST0150 Service nginx-ns3/nginx-svc3',
  ],
  'correct-port-name-external-name-service-type.yaml': [],
  'deployment-multi-service.yaml': [
    'IST0116 Deployment bookinfo/multiple-svc-multiple-prot',
    'IST0116 Deployment bookinfo/multiple-without-port',
    'IST0137 Deployment bookinfo/conflicting-ports',
  ],
  'deployment-multi-service-different-ns.yaml': [],
  'deployment-service-no-selector.yaml': [],
  'pod-sec-uid.yaml': ['IST0144 Pod pod-sec-uid'],
  'pod-con-sec-uid.yaml': ['IST0144 Pod con-sec-uid'],
  'deployment-pod-sec-uid.yaml': ['IST0144 Deployment deploy-pod-sec-uid'],
  'deployment-con-sec-uid.yaml': ['IST0144 Deployment deploy-con-sec-uid'],
};

const ISTIO_CODE_OF_RULE = new Map(RULES.filter((rule) => rule.meta.istioCode).map((rule) => [rule.meta.id, rule.meta.istioCode!]));

/**
 * Istio reports Service-association problems on the workload, meshready on the Service
 * port to change; the workload is named in the message ("of Deployment \"x\"").
 */
function istioMessageOf(finding: Finding): string | undefined {
  const code = ISTIO_CODE_OF_RULE.get(finding.ruleId);
  if (!code || !finding.resource) return undefined;
  const workload = /of (Deployment|Pod|StatefulSet|DaemonSet) "([^"]+)"/.exec(finding.message);
  const [kind, name] = code === 'IST0116' || code === 'IST0137' ? [workload![1], workload![2]] : [finding.resource.kind, finding.resource.name];
  const namespace = finding.resource.namespace;
  return `${code} ${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

describe("Istio's analyzer test data", () => {
  for (const [file, expected] of Object.entries(ISTIO_EXPECTS)) {
    it(`${file}: ${expected.length === 0 ? 'no message' : expected.join(', ')}`, () => {
      const messages = lint([fixture(`istio-analyzers/${file}`)])
        .findings.map(istioMessageOf)
        .filter((message) => message !== undefined);
      expect(messages.sort()).toEqual([...expected].sort());
    });
  }
});
