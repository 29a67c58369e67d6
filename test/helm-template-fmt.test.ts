import { describe, expect, it } from 'vitest';
import { formatValue, sprint, sprintf, sprintln } from '../src/core/helm/fmt.js';
import { goMap, type GoValue } from '../src/core/helm/values.js';
import { helmGoldens, type HelmSnippet } from './support/helm-goldens.js';

/**
 * Go's fmt, compared with what real helm prints: each case is a template expression whose
 * operands are written once as template syntax (for helm) and once as Go values (for us).
 */
interface FmtCase {
  name: string;
  /** `printf`, `print` or `println`. */
  call: 'printf' | 'print' | 'println';
  format?: string;
  operands: [template: string, value: GoValue][];
}

const int = (value: number): [string, GoValue] => [String(value), BigInt(value)];
const float = (template: string): [string, GoValue] => [template, Number(template)];
const str = (value: string): [string, GoValue] => [JSON.stringify(value), value];
const nil: [string, GoValue] = ['nil', null];

const cases: FmtCase[] = [
  { name: 'v-float-1e8', call: 'printf', format: '%v', operands: [float('100000000.0')] },
  { name: 'v-float-1e6', call: 'printf', format: '%v', operands: [float('1000000.0')] },
  { name: 'v-float-999999', call: 'printf', format: '%v', operands: [float('999999.0')] },
  { name: 'v-float-small', call: 'printf', format: '%v %v %v', operands: [float('0.0001'), float('0.00001'), float('0.000123')] },
  { name: 'v-float-long', call: 'printf', format: '%v %v', operands: [float('123456789.0'), float('3.141592653589793')] },
  { name: 'v-float-huge', call: 'printf', format: '%v %v', operands: [float('1e21'), float('1.7976931348623157e308')] },
  { name: 'v-float-whole', call: 'printf', format: '%v %v', operands: [float('100.0'), float('1.0')] },
  { name: 'f-rounding', call: 'printf', format: '%.2f %.0f %.0f %.0f %.1f', operands: [float('2.675'), float('2.5'), float('3.5'), float('0.5'), float('0.25')] },
  { name: 'f-default', call: 'printf', format: '%f %F', operands: [float('3.14159265'), float('1e-7')] },
  { name: 'f-wide', call: 'printf', format: '[%8.3f] [%-8.2f] [%08.3f] [%+.1f] [% .1f]', operands: [float('3.14159'), float('2.5'), float('-3.14159'), float('2.0'), float('2.0')] },
  { name: 'f-precise', call: 'printf', format: '%.20f %.17g', operands: [float('0.1'), float('0.1')] },
  { name: 'e-verbs', call: 'printf', format: '%e %E %.2e %8.3e', operands: [float('1234.5678'), float('0.000012'), float('9.999'), float('123456.0')] },
  { name: 'g-verbs', call: 'printf', format: '%g %G %.3g %.3g %g %#g', operands: [float('1e-7'), float('1e20'), float('100000.0'), float('1234.0'), float('0.5'), float('1.0')] },
  { name: 'x-float', call: 'printf', format: '%x %X %.2x %b', operands: [float('1.5'), float('-10.25'), float('3.0'), float('1.0')] },
  { name: 'int-verbs', call: 'printf', format: '%d %+d %5d|%-5d|%05d %.3d %x %X %#x %o %O %#o %b %#b', operands: [int(42), int(42), int(42), int(42), int(-42), int(7), int(255), int(255), int(255), int(8), int(8), int(8), int(5), int(5)] },
  { name: 'int-negative-hex', call: 'printf', format: '%x %.0d| %c %q %U %#U', operands: [int(-255), int(0), int(65), int(65), int(128512), int(128512)] },
  { name: 'int-as-float-verb', call: 'printf', format: '%f %s', operands: [int(3), int(3)] },
  { name: 'float-as-int-verb', call: 'printf', format: '%d', operands: [float('3.5')] },
  { name: 'string-verbs', call: 'printf', format: '%s|%5s|%-5s|%.2s|%x|% x|%X|%q', operands: [str('ab'), str('ab'), str('ab'), str('héllo'), str('hé'), str('ab'), str('hi'), str('a"b')] },
  { name: 'quote-escapes', call: 'printf', format: '%q %+q %#q %#q', operands: [str('tab\there\nnl é \u00a0 \u200b \u0007 😀'), str('é'), str('raw'), str('back`tick')] },
  { name: 'bool-verbs', call: 'printf', format: '%v %t %d', operands: [['true', true], ['false', false], ['true', true]] },
  { name: 'nil-verbs', call: 'printf', format: '%v %s %d %T', operands: [nil, nil, nil, nil] },
  { name: 'type-names', call: 'printf', format: '%T %T %T %T %T %T', operands: [int(1), float('1.5'), str('s'), ['true', true], ['(list 1)', [1n]], ['(dict "a" 1)', goMap([['a', 1n]])]] },
  { name: 'missing-and-extra', call: 'printf', format: '%s %s|%d', operands: [str('a')] },
  { name: 'extra-operands', call: 'printf', format: '%s', operands: [str('a'), str('b'), int(3), nil] },
  { name: 'no-verb', call: 'printf', format: 'x%', operands: [] },
  { name: 'bang-verb', call: 'printf', format: '%!', operands: [] },
  { name: 'percent', call: 'printf', format: '%d%% %5%', operands: [int(50)] },
  { name: 'arg-index', call: 'printf', format: '%[2]d %[1]d %d', operands: [int(1), int(2)] },
  { name: 'arg-index-bad', call: 'printf', format: '%[3]d %[x]d %[1]', operands: [int(1)] },
  { name: 'star-width', call: 'printf', format: '[%*d] [%-*d] [%.*f] [%*d]', operands: [int(5), int(3), int(5), int(3), int(2), float('3.14159'), str('x'), int(1)] },
  { name: 'maps-and-lists', call: 'printf', format: '%v|%+v|%d', operands: [['(dict "b" 2 "a" (list 1 "x" nil))', goMap([['b', 2n], ['a', [1n, 'x', null]]])], ['(list 1 2)', [1n, 2n]], ['(list 1 "a")', [1n, 'a']]] },
  { name: 'go-syntax', call: 'printf', format: '%#v %#v %#v %#v', operands: [['(dict "a" "x")', goMap([['a', 'x']])], ['(list "a" 1 nil)', ['a', 1n, null]], str('q'), int(3)] },
  { name: 'padded-list', call: 'printf', format: '%3v|%-3v|', operands: [['(list 1 2)', [1n, 2n]], ['(list "a")', ['a']]] },
  { name: 'nested-bad-verb', call: 'printf', format: '%d', operands: [['(list 1 "a" 2.5)', [1n, 'a', 2.5]]] },
  { name: 'print-spacing', call: 'print', operands: [str('a'), int(1), int(2), str('b'), str('c'), float('3.5'), nil, ['true', true], str('d')] },
  { name: 'println-spacing', call: 'println', operands: [str('a'), int(1), str('b')] },
  { name: 'print-nothing', call: 'print', operands: [] },
  { name: 'negative-zero-float', call: 'printf', format: '%v %.1f', operands: [float('-0.0'), float('-0.04')] },
];

function snippetOf(testCase: FmtCase): HelmSnippet {
  const operands = testCase.operands.map(([template]) => ` ${template}`).join('');
  const format = testCase.format === undefined ? '' : ` ${JSON.stringify(testCase.format)}`;
  return { name: testCase.name, template: `{{ ${testCase.call}${format}${operands} }}` };
}

function ours(testCase: FmtCase): string {
  const values = testCase.operands.map(([, value]) => value);
  if (testCase.call === 'printf') return sprintf(testCase.format!, ...values);
  if (testCase.call === 'print') return sprint(...values);
  return sprintln(...values);
}

describe("Go's fmt (src/core/helm/fmt.ts)", async () => {
  const goldens = await helmGoldens('template-fmt', cases.map(snippetOf));
  for (const testCase of cases) {
    it(`${testCase.name}: ${snippetOf(testCase).template}`, () => {
      expect(goldens[testCase.name]!.error).toBeUndefined();
      expect(ours(testCase)).toBe(goldens[testCase.name]!.output);
    });
  }

  it('formatValue is %v, and a string is itself', () => {
    expect(formatValue(100000000)).toBe('1e+08');
    expect(formatValue('a b')).toBe('a b');
    expect(formatValue(goMap([['z', 1n], ['a', [true, null]]]))).toBe('map[a:[true <nil>] z:1]');
  });
});
