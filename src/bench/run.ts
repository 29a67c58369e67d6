import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { analyze } from '../core/analyze.js';
import { generateCorpus } from './corpus.js';

const DOCUMENTS = 20_000;
const ROUNDS = 5;
const TARGET_RATIO = 1.25;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

const files = generateCorpus(DOCUMENTS);
const megabytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0) / (1024 * 1024);

let findings = 0;
const parseTimes: number[] = [];
const lintTimes: number[] = [];
// Alternate the two so that machine noise falls on both alike; the first round warms the JIT.
for (let round = 0; round <= ROUNDS; round++) {
  const parse = time(() => {
    for (const file of files) parseAllDocuments(file.text);
  });
  const lint = time(() => {
    findings = analyze(files).findings.length;
  });
  if (round > 0) {
    parseTimes.push(parse);
    lintTimes.push(lint);
  }
}

const parseMs = median(parseTimes);
const lintMs = median(lintTimes);
const ratio = lintMs / parseMs;
console.log(`corpus: ${DOCUMENTS} documents in ${files.length} files, ${megabytes.toFixed(1)} MB; ${findings} findings`);
console.log(`yaml parseAllDocuments: ${parseMs.toFixed(0)} ms (${(megabytes / (parseMs / 1000)).toFixed(1)} MB/s)`);
console.log(`meshready analyze:      ${lintMs.toFixed(0)} ms (${(megabytes / (lintMs / 1000)).toFixed(1)} MB/s)`);
console.log(`ratio lint/parse: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'OK' : 'OVER TARGET'}`);
