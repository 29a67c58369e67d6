import type { Rule, RuleMeta } from '../rule.js';
import { appLabel } from './app-label.js';
import { externalNamePort } from './external-name-port.js';
import { initCapabilities } from './init-capabilities.js';
import { parseErrorMeta } from './parse-error.js';
import { portProtocolConflict } from './port-protocol-conflict.js';
import { portProtocol } from './port-protocol.js';
import { reservedGid } from './reserved-gid.js';
import { reservedPort } from './reserved-port.js';
import { reservedUid } from './reserved-uid.js';
import { serverFirstProtocol } from './server-first-protocol.js';
import { targetPortConflict } from './target-port-conflict.js';
import { versionLabel } from './version-label.js';

/** Every rule, in the order their findings are reported for one resource. */
export const RULES: readonly Rule[] = [
  reservedUid,
  reservedGid,
  initCapabilities,
  appLabel,
  versionLabel,
  portProtocol,
  reservedPort,
  portProtocolConflict,
  targetPortConflict,
  serverFirstProtocol,
  externalNamePort,
];

/** Metadata of everything a finding can be reported under, rules and engine alike. */
export const RULE_METAS: readonly RuleMeta[] = [parseErrorMeta, ...RULES.map((rule) => rule.meta)];

export function ruleMeta(id: string): RuleMeta | undefined {
  return RULE_METAS.find((meta) => meta.id === id);
}
