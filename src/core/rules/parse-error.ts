import type { RuleMeta } from '../rule.js';

/** Not a rule that runs: the engine reports documents it cannot parse under this id. */
export const parseErrorMeta: RuleMeta = {
  id: 'parse-error',
  title: 'Document does not parse',
  severity: 'error',
  description: 'A YAML or JSON document that does not parse cannot be applied to a cluster, nor checked.',
  referenceUrl: 'https://yaml.org/spec/1.2.2/',
  referenceTitle: 'the YAML 1.2 specification',
  fixable: false,
};
