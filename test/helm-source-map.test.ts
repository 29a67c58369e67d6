import { describe, expect, it } from 'vitest';
import type { OriginSpan, TracedText } from '../src/core/helm/origins.js';
import { sourceEditOf, sourcePlaceOf, spanAt } from '../src/core/helm/source-map.js';

const TEMPLATE = 'chart/templates/deployment.yaml';
const VALUES = 'chart/values.yaml';

/**
 * `securityContext:\n  runAsUser: {{ .Values.uid }}\n  fsGroup: {{ .Values.gid | quote }}\n`
 * with values `uid: 1337` and `gid: 2000`, rendered: each stretch says where it came from.
 */
function rendered(): TracedText {
  const pieces: [string, OriginSpan['origin']][] = [
    ['securityContext:\n  runAsUser: ', { type: 'text', file: TEMPLATE, start: 0 }],
    ['1337', { type: 'value', file: VALUES, start: 5, end: 9, verbatim: true }],
    ['\n  fsGroup: ', { type: 'text', file: TEMPLATE, start: 47 }],
    ['"', { type: 'action', file: TEMPLATE, start: 59, end: 84 }],
    ['2000', { type: 'value', file: VALUES, start: 15, end: 19, verbatim: true }],
    ['"', { type: 'action', file: TEMPLATE, start: 59, end: 84 }],
    ['\n', { type: 'text', file: TEMPLATE, start: 84 }],
  ];
  let text = '';
  const spans: OriginSpan[] = [];
  for (const [piece, origin] of pieces) {
    spans.push({ start: text.length, end: text.length + piece.length, origin });
    text += piece;
  }
  return { text, spans };
}

describe('from rendered text to the source', () => {
  const traced = rendered();
  const at = (needle: string) => traced.text.indexOf(needle);

  it('finds the span of any rendered character, and none past the end', () => {
    expect(spanAt(traced, 0)?.origin.type).toBe('text');
    expect(spanAt(traced, at('1337') + 3)?.origin).toMatchObject({ type: 'value', start: 5 });
    expect(spanAt(traced, traced.text.length)).toBeUndefined();
  });

  it('places template text on the same character of the template, a verbatim value on the same character of the values file', () => {
    expect(sourcePlaceOf(traced, at('runAsUser'))).toMatchObject({ file: TEMPLATE, offset: 19 });
    expect(sourcePlaceOf(traced, at('1337') + 2)).toMatchObject({ file: VALUES, offset: 7 });
    expect(sourcePlaceOf(traced, at('"2000'))).toMatchObject({ file: TEMPLATE, offset: 59, origin: { type: 'action' } });
  });

  it('maps a replacement of a value to the values file, and of template text to the template', () => {
    expect(sourceEditOf(traced, { start: at('1337'), end: at('1337') + 4, newText: '1000' })).toEqual({ file: VALUES, start: 5, end: 9, newText: '1000' });
    expect(sourceEditOf(traced, { start: at('fsGroup'), end: at('fsGroup') + 7, newText: 'runAsGroup' })).toEqual({
      file: TEMPLATE,
      start: 50,
      end: 57,
      newText: 'runAsGroup',
    });
  });

  it('narrows an edit to what it changes, so that quotes an action wrote stay out of it', () => {
    const start = at('"2000');
    expect(sourceEditOf(traced, { start, end: start + 6, newText: '"3000"' })).toEqual({ file: VALUES, start: 15, end: 16, newText: '3' });
  });

  it('inserts beside literal template text only', () => {
    const lineEnd = at('\n  fsGroup');
    expect(sourceEditOf(traced, { start: lineEnd, end: lineEnd, newText: '\n  runAsNonRoot: true' })).toEqual({
      file: TEMPLATE,
      start: 47,
      end: 47,
      newText: '\n  runAsNonRoot: true',
    });
    const insideQuotes = at('2000');
    expect(sourceEditOf(traced, { start: insideQuotes, end: insideQuotes, newText: 'x' })).toBeUndefined();
  });

  it('has no edit for a range that crosses what several sources wrote', () => {
    expect(sourceEditOf(traced, { start: at('1337') - 2, end: at('1337') + 4, newText: 'x: 1000' })).toBeUndefined();
  });
});
