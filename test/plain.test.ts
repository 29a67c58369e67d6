import { parseAllDocuments, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AliasExpansionError, plainValueOf } from '../src/core/plain.js';
import { fixture } from './helpers.js';

describe('plainValueOf', () => {
  it('gives what yaml\'s toJS gives, merge keys and aliases included', () => {
    const texts = [
      'base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\ny:\n  b: 4\n  <<: [*b, {c: 5}]\nz: [*b, *b]\n1: one\nt: true\nn: ~\nf: 1.5\ns: "1.0"\n',
      fixture('rules/port-protocol/negative.yaml').text,
      fixture('parsing/list.json').text,
      fixture('parsing/empty-documents.yaml').text,
    ];
    for (const text of texts) {
      for (const doc of parseAllDocuments(text, { merge: true })) expect(plainValueOf(doc, 10_000)).toEqual(doc.toJS());
    }
  });

  it('refuses an alias bomb and an alias cycle', () => {
    expect(() => plainValueOf(parseDocument(fixture('parsing/alias-bomb.yaml').text, { merge: true }), 10_000)).toThrow(AliasExpansionError);
    expect(() => plainValueOf(parseDocument('a: &x [1, *x]\n', { merge: true }), 10_000)).toThrow(AliasExpansionError);
  });
});
