/**
 * YAML, JSON and TOML as Helm 4.1.4 reads and writes them, over the Go value model
 * (values.ts), with the origins of values files (origins.ts).
 *
 * - `readValues`: a values file as Helm loads it (documents merged), every entry's origin recorded.
 * - `readYaml`: sigs.k8s.io/yaml's Unmarshal of one document (fromYaml, Chart.yaml).
 * - `toYamlTraced`: toYaml's text with a span for each scalar whose values-file node is known.
 * - `HELM_DATA_FUNCTIONS`: Helm's toYaml, fromYaml, toJson, fromJson, toToml, ... as template functions.
 * - `marshalGoJson`: encoding/json for Sprig's toPrettyJson and toRawJson.
 */
export { readValues, readYaml, mergeValues, YamlReadError } from './read.js';
export type { YamlTarget } from './read.js';
export { HELM_DATA_FUNCTIONS, toYamlTraced } from './functions.js';
export { marshalGoJson, unmarshalGoJson, quoteJsonString, GoJsonError } from './json.js';
export type { MarshalOptions, JsonTarget } from './json.js';
export { formatFloatG, formatJsonFloat } from './go-float.js';
