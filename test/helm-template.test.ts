import { describe, expect, it } from 'vitest';
import { renderTemplates, sortTemplateNames, type RenderTemplate } from '../src/core/helm/template/index.js';
import { helmGoldens, type HelmSnippet } from './support/helm-goldens.js';
import { chartData, HELM_FUNCTIONS, renderSnippet } from './helm-template-harness.js';

/**
 * text/template and Helm's render loop, differentially: each snippet is rendered by real
 * helm v4.1.4 (the goldens) and by our engine on the same chart files; outputs and errors
 * must be identical, with Helm's function map (Sprig's port, Helm's data functions).
 */

const file = (name: string, template: string, values?: string, files?: Record<string, string>): HelmSnippet => ({
  name,
  template,
  mode: 'file',
  ...(values === undefined ? {} : { values }),
  ...(files === undefined ? {} : { files }),
});
const snippet = (name: string, template: string, values?: string): HelmSnippet => ({ name, template, ...(values === undefined ? {} : { values }) });

const values = JSON.stringify({
  uid: 1337,
  ratio: 0.5,
  big: 100000000,
  small: 0.00001,
  name: 'nginx',
  empty: '',
  zero: 0,
  yes: true,
  no: false,
  nothing: null,
  list: ['a', 'b', 'c'],
  mixed: [1, 'two', null, true, { k: 'v' }],
  emptyList: [],
  map: { b: 2, a: 1, c: { d: 'deep' } },
  emptyMap: {},
  nested: { level: { leaf: 'x' } },
});

const snippets: HelmSnippet[] = [
  // --- Text, trim markers, comments ---
  snippet('text-plain', 'a\nb\n'),
  snippet('trim-left', 'a  \n  {{- "b" }}'),
  snippet('trim-right', '{{ "a" -}}  \n  b'),
  snippet('trim-both', 'x \n {{- "y" -}} \n z'),
  snippet('trim-needs-space', '{{ -3 }}|{{-3}}'),
  snippet('trim-tabs-crlf', 'a\t\r\n{{- "b" -}}\r\n\tc'),
  snippet('comment', 'a{{/* a comment */}}b'),
  snippet('comment-trimmed', 'a  {{- /* trimmed */ -}}  b'),
  snippet('comment-multiline', 'a{{/* one\ntwo */}}b'),
  snippet('trim-only-markers', '{{- "a" -}}'),
  snippet('action-multiline', '{{ print\n  "a"\n  "b" }}'),
  snippet('trim-keeps-other-whitespace', 'a\u00a0{{- "b" }}'),

  // --- Literals ---
  snippet('string-escapes', '{{ "tab\\there\\nline \\"q\\" \\\\ \\u00e9 \\x41 \\101 \\U0001F600" }}'),
  snippet('raw-string', '{{ `raw \\n "q"` }}'),
  snippet('chars', "{{ 'a' }} {{ '\\n' }} {{ '\\'' }} {{ 'é' }} {{ printf \"%c\" 'x' }}"),
  snippet('ints', '{{ 42 }} {{ -7 }} {{ +3 }} {{ 0x1F }} {{ 0X1f }} {{ 017 }} {{ 0o17 }} {{ 0b101 }} {{ 1_000_000 }} {{ 0x_1F }}'),
  snippet('floats', '{{ 3.5 }} {{ 1e3 }} {{ 1E-3 }} {{ .5 }} {{ 5. }} {{ 1_0.5 }} {{ 0x1p-2 }} {{ 0x1.8p1 }} {{ 1e21 }} {{ 123456789.0 }}'),
  snippet('float-literal-kinds', '{{ printf "%T %T %T %T %T" 1 1.0 1e2 0x10 \'a\' }}'),
  snippet('negative-hex-is-float', '{{ printf "%T %v" -0x1E -0x1E }}'),
  snippet('bools-nil', '{{ true }} {{ false }} {{ printf "%v" nil }}'),
  snippet('int-too-big', '{{ 9223372036854775808 }}'),
  snippet('int-overflow', '{{ 99999999999999999999 }}'),
  snippet('octal-invalid', '{{ 08 }}'),
  snippet('number-bad', '{{ 1x }}'),
  snippet('release-whole', '{{ .Release }}'),

  // --- Values: how Go prints them ---
  snippet('value-scalars', '{{ .Values.uid }} {{ .Values.ratio }} {{ .Values.big }} {{ .Values.small }} {{ .Values.name }} [{{ .Values.empty }}] {{ .Values.zero }} {{ .Values.yes }} {{ .Values.no }}', values),
  snippet('value-null-and-missing', '[{{ .Values.nothing }}] [{{ .Values.missing }}] [{{ .Values.nested.missing }}]', values),
  snippet('value-collections', '{{ .Values.list }} {{ .Values.mixed }} {{ .Values.emptyList }} {{ .Values.map }} {{ .Values.emptyMap }}', values),
  snippet('value-nested', '{{ .Values.nested.level.leaf }} {{ .Values.nested.level }}', values),
  snippet('value-whole', '{{ .Values }}', JSON.stringify({ a: 1, b: [true] })),
  snippet('value-nil-pointer', '{{ .Values.missing.deeper }}', values),
  snippet('value-null-pointer', '{{ .Values.nothing.deeper }}', values),
  snippet('value-field-of-string', '{{ .Values.name.deeper }}', values),
  snippet('value-field-of-list', '{{ .Values.list.first }}', values),
  snippet('value-field-with-args', '{{ .Values.name 1 }}', values),
  snippet('value-method-like', '{{ .Values.map.a 1 }}', values),
  snippet('dot-release', '{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.IsInstall }} {{ .Release.Revision }} {{ .Chart.Name }}'),
  snippet('template-name', '{{ .Template.Name }} {{ .Template.BasePath }}'),
  snippet('dollar', '{{ $.Values.name }} {{ with .Values.map }}{{ $.Values.name }}{{ end }}', values),

  // --- Variables ---
  snippet('var-declare', '{{ $x := .Values.name }}{{ $x }}', values),
  snippet('var-assign', '{{ $x := 1 }}{{ $x = 2 }}{{ $x }}{{ if true }}{{ $x = 3 }}{{ end }}{{ $x }}'),
  snippet('var-scope', '{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}'),
  snippet('var-undefined', '{{ $y }}'),
  snippet('var-fields', '{{ $m := .Values.map }}{{ $m.c.d }} {{ $m.a }}', values),
  snippet('var-not-function', '{{ $x := 1 }}{{ $x 2 }}'),
  snippet('var-in-range', '{{ range $v := .Values.list }}{{ $v }}{{ end }}|{{ range $i, $v := .Values.list }}{{ $i }}{{ $v }}{{ end }}', values),
  snippet('var-range-assign', '{{ $i := 0 }}{{ $v := "" }}{{ range $i, $v = .Values.list }}{{ end }}{{ $i }}{{ $v }}', values),
  snippet('var-too-many', '{{ $a, $b := 1 }}'),
  snippet('var-range-three', '{{ range $a, $b, $c := .Values.list }}{{ end }}', values),
  snippet('var-range-only-vars', '{{ range $a, 1 := .Values.list }}{{ end }}', values),

  // --- Pipelines and parentheses ---
  snippet('pipe-final-arg', '{{ "a" | printf "%s-%s" "b" }}'),
  snippet('pipe-chain', '{{ 3 | printf "%d" | printf "[%s]" }}'),
  snippet('parens', '{{ printf "%s/%s" (print "a") (printf "%d" 2) }}'),
  snippet('paren-fields', '{{ (.Values.nested).level.leaf }} {{ ($.Values.map).c.d }}', values),
  snippet('paren-var-fields', '{{ $n := .Values.nested }}{{ ($n.level).leaf }}', values),
  snippet('non-executable-stage', '{{ "a" | "b" }}'),
  snippet('pipe-to-non-function', '{{ "a" | .Values.name }}', values),
  snippet('pipe-nil-command', '{{ nil }}'),
  snippet('paren-nil-chain', '{{ (nil).x }}'),
  snippet('literal-field', '{{ "a".x }}'),
  snippet('empty-parens', '{{ () }}'),
  snippet('unclosed-paren', '{{ (print "a" }}'),
  snippet('extra-paren', '{{ print "a") }}'),

  // --- if / with / else ---
  snippet('if-values', '{{ if .Values.uid }}1{{ end }}{{ if .Values.zero }}2{{ end }}{{ if .Values.empty }}3{{ end }}{{ if .Values.list }}4{{ end }}{{ if .Values.emptyList }}5{{ end }}{{ if .Values.map }}6{{ end }}{{ if .Values.emptyMap }}7{{ end }}{{ if .Values.nothing }}8{{ end }}{{ if .Values.missing }}9{{ end }}{{ if .Values.no }}10{{ end }}', values),
  snippet('if-else-chain', '{{ if .Values.no }}a{{ else if .Values.zero }}b{{ else if .Values.name }}c{{ else }}d{{ end }}', values),
  snippet('with-dot', '{{ with .Values.nested.level }}{{ .leaf }}{{ end }}{{ with .Values.missing }}x{{ else }}none{{ end }}', values),
  snippet('else-with', '{{ with .Values.missing }}a{{ else with .Values.name }}{{ . }}{{ else }}c{{ end }}', values),
  snippet('with-field-of-string', '{{ with .Values.name }}{{ .x }}{{ end }}', values),
  snippet('if-declares', '{{ if $x := .Values.name }}{{ $x }}{{ end }}', values),
  snippet('if-missing-value', '{{ if }}x{{ end }}'),
  snippet('else-outside', '{{ else }}'),
  snippet('end-outside', '{{ end }}'),
  snippet('if-unclosed', '{{ if true }}x'),
  snippet('else-with-in-if', '{{ if false }}a{{ else with 1 }}b{{ end }}'),

  // --- range ---
  snippet('range-list', '{{ range .Values.list }}[{{ . }}]{{ end }}', values),
  snippet('range-mixed', '{{ range .Values.mixed }}[{{ . }}]{{ end }}', values),
  snippet('range-map-sorted', '{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }};{{ end }}', values),
  snippet('range-map-single-var', '{{ range $v := .Values.map }}{{ $v }};{{ end }}', values),
  snippet('range-else', '{{ range .Values.emptyList }}x{{ else }}empty{{ end }}{{ range .Values.missing }}x{{ else }}missing{{ end }}{{ range .Values.emptyMap }}x{{ else }}emptymap{{ end }}', values),
  snippet('range-int', '{{ range 4 }}{{ . }}{{ end }}|{{ range $i := 3 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}|{{ range -2 }}x{{ else }}neg{{ end }}'),
  snippet('range-int-two-vars', '{{ range $i, $v := 3 }}{{ end }}'),
  snippet('range-float', '{{ range .Values.uid }}{{ end }}', values),
  snippet('range-string', '{{ range .Values.name }}{{ end }}', values),
  snippet('range-break-continue', '{{ range $i, $v := .Values.list }}{{ if eq $v "b" }}{{ continue }}{{ end }}{{ if eq $i 2 }}{{ break }}{{ end }}{{ $v }}{{ end }}', values),
  snippet('range-break-nested', '{{ range .Values.list }}{{ $o := . }}{{ range $.Values.list }}{{ if eq . "b" }}{{ break }}{{ end }}{{ $o }}{{ . }} {{ end }}{{ end }}', values),
  snippet('break-outside', '{{ break }}'),
  snippet('continue-in-if', '{{ if true }}{{ continue }}{{ end }}'),
  snippet('break-with-args', '{{ range .Values.list }}{{ break 1 }}{{ end }}', values),
  snippet('range-dot-field-of-element', '{{ range .Values.list }}{{ .x }}{{ end }}', values),
  snippet('range-null-element-field', '{{ range .Values.mixed }}{{ .k }}{{ end }}', values),
  snippet('range-vars-persist', '{{ range $i, $v := .Values.list }}{{ $x := $v }}{{ $x }}{{ end }}', values),

  // --- define, template, block, include, tpl ---
  snippet('template-call', '{{ template "meshready.part" .Values.name }}|{{ template "meshready.part" }}', values),
  snippet('template-undefined', '{{ template "nope" }}'),
  snippet('block', '{{ block "meshready.block" .Values.name }}default {{ . }}{{ end }}', values),
  snippet('include-basic', '{{ include "meshready.part" .Values.name }}|{{ include "meshready.part" nil }}', values),
  snippet('include-undefined', '{{ include "nope" . }}'),
  snippet('include-wrong-arg', '{{ include 1 . }}'),
  snippet('include-error-inside', '{{ include "meshready.fails" . }}'),
  snippet('tpl-basic', '{{ tpl "{{ .Values.name }}-{{ .Release.Name }}" . }}', values),
  snippet('tpl-defines', '{{ tpl "{{ define \\"t.x\\" }}X{{ end }}{{ include \\"t.x\\" . }}" . }}'),
  snippet('tpl-no-value', '[{{ tpl "{{ .Values.missing }}" . }}]', values),
  snippet('tpl-parse-error', '{{ tpl "{{ .Values.name" . }}', values),
  snippet('tpl-exec-error', '{{ tpl "{{ .Values.missing.x }}" . }}', values),
  snippet('tpl-fail', '{{ tpl "{{ fail \\"from tpl\\" }}" . }}'),
  snippet('tpl-template-name', '{{ tpl "{{ .Template.Name }}" . }}'),
  snippet('tpl-sees-helpers', '{{ tpl "{{ include \\"meshready.part\\" 1 }}" . }}'),

  // --- required, fail, lookup ---
  snippet('required-present', '{{ required "need name" .Values.name }}', values),
  snippet('required-missing', '{{ required "need it" .Values.missing }}', values),
  snippet('required-empty', '{{ required "not empty" .Values.empty }}', values),
  snippet('required-zero-ok', '{{ required "zero is a value" .Values.zero }}', values),
  snippet('fail', '{{ fail "stop here" }}'),
  snippet('lookup', '{{ lookup "v1" "Secret" "ns" "name" }}|{{ len (lookup "v1" "Pod" "" "") }}'),

  // --- Builtins ---
  snippet('and-or', '{{ and 1 2 }} {{ and 0 2 }} {{ or 0 "" "x" }} {{ or 0 "" }} {{ and .Values.yes .Values.name }}', values),
  snippet('and-short-circuit', '{{ and false (fail "evaluated") }} {{ or true (fail "evaluated") }}'),
  snippet('and-pipe-final', '{{ .Values.name | and true }}', values),
  snippet('not', '{{ not 0 }} {{ not "a" }} {{ not .Values.missing }} {{ not .Values.list }}', values),
  snippet('len', '{{ len "héllo" }} {{ len .Values.list }} {{ len .Values.map }} {{ len .Values.emptyList }}', values),
  snippet('len-of-nil', '{{ len .Values.missing }}', values),
  snippet('len-of-number', '{{ len .Values.uid }}', values),
  snippet('len-of-invalid', '{{ $x := .Values.missing }}{{ len $x }}', values),
  snippet('index', '{{ index .Values.list 1 }} {{ index .Values.map "b" }} {{ index .Values.map "c" "d" }} [{{ index .Values.map "zz" }}] {{ index "abc" 1 }}', values),
  snippet('index-out-of-range', '{{ index .Values.list 3 }}', values),
  snippet('index-way-out', '{{ index .Values.list 9 }}', values),
  snippet('index-negative', '{{ index .Values.list -1 }}', values),
  snippet('index-float', '{{ index .Values.list 1.0 }}', values),
  snippet('index-map-int', '{{ index .Values.map 1 }}', values),
  snippet('index-nil', '{{ index .Values.missing 1 }}', values),
  snippet('index-scalar', '{{ index .Values.uid 1 }}', values),
  snippet('index-through-nil', '{{ index .Values.map "zz" "y" }}', values),
  snippet('print-family', '{{ print "a" 1 2 "b" }}|{{ println "a" 1 }}|{{ printf "%d-%s" 1 "x" }}|{{ print .Values.missing }}|{{ print nil }}', values),
  snippet('printf-wrong-format-type', '{{ printf 1 }}'),
  snippet('html-js-urlquery', '{{ html "<a href=\\"x\\">&\'</a>" }}|{{ js "it\'s <b> & \\"q\\" = é\\n" }}|{{ urlquery "a b&c=d/é~" }}|{{ html .Values.missing }}|{{ html 1 2 }}', values),
  snippet('eq-family', '{{ eq 1 1 }} {{ eq "a" "b" "a" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }} {{ eq .Values.uid 1337.0 }} {{ eq .Values.missing nil }} {{ eq .Values.nothing .Values.missing }}', values),
  snippet('eq-int-float', '{{ eq .Values.uid 1337 }}', values),
  snippet('eq-string-int', '{{ eq "1" 1 }}'),
  snippet('eq-nil-value', '{{ eq .Values.missing 1 }} {{ eq 1 .Values.missing }}', values),
  snippet('eq-maps', '{{ eq .Values.map .Values.map }}', values),
  snippet('eq-lists', '{{ eq .Values.list .Values.list }}', values),
  snippet('eq-map-list', '{{ eq .Values.map .Values.list }}', values),
  snippet('eq-map-nil', '{{ eq .Values.map nil }}', values),
  snippet('eq-one-arg', '{{ eq 1 }}'),
  snippet('lt-nil', '{{ lt .Values.missing 1 }}', values),
  snippet('lt-bools', '{{ lt true false }}'),
  snippet('lt-mixed', '{{ lt 1 1.5 }}'),
  snippet('lt-strings', '{{ lt "a" "B" }} {{ lt "é" "z" }}'),
  snippet('call-non-function', '{{ call .Values.name }}', values),
  snippet('call-nil', '{{ call .Values.missing }}', values),
  snippet('wrong-arg-count', '{{ len }}'),
  snippet('wrong-arg-count-variadic', '{{ printf }}'),
  snippet('wrong-arg-count-fixed', '{{ lt 1 }}'),
  snippet('wrong-type-string', '{{ include .Values.uid . }}', values),
  snippet('wrong-type-pipe-final', '{{ .Values.uid | printf }}', values),
  snippet('invalid-value-final', '{{ .Values.missing | printf }}', values),
  snippet('wrong-type-nil-interface', '{{ printf .Values.missing }}', values),
  snippet('nil-to-string', '{{ printf nil }}'),
  snippet('literal-to-string', '{{ include 3 . }}'),
  snippet('function-undefined', '{{ nosuchfunction 1 }}'),
  snippet('function-as-field', '{{ .Values.name | print | print }}', values),

  // --- Calls into Sprig and Helm functions: Go's argument conversion ---
  snippet('sprig-untyped-constant-to-int', '{{ trunc 3 "abcdef" }} {{ repeat 2 "ab" }} {{ indent 2 "x" }}'),
  snippet('sprig-float-to-int-param', '{{ trunc .Values.uid "abcdef" }}', values),
  snippet('sprig-float-literal-to-int-param', '{{ trunc 2.5 "abcdef" }}'),
  snippet('sprig-string-to-int-param', '{{ trunc "2" "abcdef" }}'),
  snippet('sprig-nil-to-string-param', '{{ upper .Values.missing }}', values),
  snippet('sprig-nil-pipe-to-string-param', '{{ .Values.missing | upper }}', values),
  snippet('sprig-float-to-string-param', '{{ upper .Values.uid }}', values),
  snippet('sprig-map-param', '{{ hasKey .Values.map "a" }} {{ hasKey .Values.missing "a" }}', values),
  snippet('sprig-literal-to-map-param', '{{ hasKey "x" "a" }}'),
  snippet('sprig-nil-to-map-param', '{{ hasKey nil "a" }}'),
  snippet('sprig-variadic', '{{ list }} {{ list 1 "a" nil }} {{ dict "a" 1 "b" (list 2) }} {{ coalesce nil "" "x" }}'),
  snippet('sprig-error', '{{ mustRegexFind "(" "x" }}'),
  snippet('sprig-default-pipeline', '{{ .Values.missing | default "d" }} {{ .Values.zero | default 5 }} {{ .Values.name | default "d" | upper }}', values),
  snippet('sprig-nindent-include', 'a:{{ include "meshready.part" "x" | nindent 2 }}'),
  snippet('sprig-toyaml', '{{ toYaml .Values.map }}|{{ toYaml .Values.list | nindent 2 }}|{{ toJson .Values.mixed }}', values),
  snippet('sprig-range-until', '{{ range $i := until 3 }}{{ $i }}{{ end }} {{ range untilStep 0 10 4 }}{{ . }}{{ end }}'),
  snippet('sprig-range-dict', '{{ range $k, $v := dict "z" 1 "a" 2 }}{{ $k }}{{ $v }}{{ end }}'),
  snippet('sprig-set-and-read', '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }} {{ $d.b }}'),
  snippet('sprig-eq-int64', '{{ eq (add 1 2) 3 }} {{ eq (len "abc") 3 }}'),
  snippet('sprig-index-dict-result', '{{ index (dict "a" (list 1 2)) "a" 1 }}'),
  snippet('sprig-method-on-struct-result', '{{ (semver "1.2.3").Major }}'),
  snippet('sprig-field-on-function-result', '{{ (dict "a" "b").a }}'),
  snippet('sprig-kindof-values', '{{ kindOf .Values.uid }} {{ typeOf .Values.uid }} {{ kindOf 3 }} {{ typeOf .Values.map }}', values),
  snippet('sprig-quote-values', '{{ quote .Values.uid .Values.name }} {{ squote .Values.ratio }}', values),
  snippet('sprig-tpl-with-dict', '{{ tpl "{{ .a }}-{{ .b }}" (dict "a" 1 "b" "x") }}'),
  snippet('sprig-include-in-loop', '{{ range until 3 }}{{ include "meshready.part" . }}{{ end }}'),
  snippet('yaml11-values', '{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ .Values.d }} {{ .Values.e }} {{ .Values.f }} {{ kindOf .Values.e }}', 'a: yes\nb: off\nc: 0777\nd: 1e3\ne: 12\nf: ~\n'),

  // --- More of everything ---
  snippet('block-overridden-later', '{{ block "meshready.over" . }}default{{ end }}'),
  snippet('define-name-with-spaces', '{{ template "meshready.odd name" . }}'),
  snippet('include-with-dict', '{{ include "meshready.part" (dict "a" 1) }}'),
  snippet('include-dollar-inside', '{{ include "meshready.dollar" (dict "x" "y") }}'),
  snippet('tpl-dollar', '{{ tpl "{{ $.Values.name }}/{{ .Values.name }}" . }}', values),
  snippet('tpl-nested', '{{ tpl "{{ tpl \\"{{ .Values.name }}\\" . }}" . }}', values),
  snippet('tpl-non-string', '{{ tpl .Values.uid . }}', values),
  snippet('big-float-values', '{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ .Values.d }}', 'a: 12345678901234567890\nb: 1e21\nc: 0.1\nd: -0.0\n'),
  snippet('printf-list-s', '{{ printf "%s" (list 1 2) }} {{ printf "%d" (dict "a" "x") }} {{ printf "%q" (list "a" 1) }}'),
  snippet('print-map-of-lists', '{{ print (dict "b" (list 1 (dict "c" nil)) "a" true) }}'),
  snippet('range-nested-maps', '{{ range $k, $v := .Values.map }}{{ $k }}[{{ range $k2, $v2 := $v }}{{ $k2 }}{{ end }}]{{ end }}', JSON.stringify({ map: { b: { y: 1, x: 2 }, a: {} } })),
  snippet('range-keys-special', '{{ range $k, $v := .Values }}{{ $k }};{{ end }}', JSON.stringify({ 'b-c': 1, B: 2, a: 3, '_': 4, '1': 5, 'é': 6, 'z z': 7 })),
  snippet('break-in-nested-if', '{{ range .Values.list }}{{ if eq . "b" }}{{ if true }}{{ break }}{{ end }}{{ end }}{{ . }}{{ end }}', values),
  snippet('continue-with-else', '{{ range .Values.list }}{{ if ne . "b" }}{{ continue }}{{ end }}{{ . }}{{ else }}none{{ end }}', values),
  snippet('deep-parens', '{{ ((((print "a")))) }} {{ (print (print (print "b"))) }}'),
  snippet('and-or-values', '[{{ and .Values.name .Values.uid }}] [{{ or .Values.missing .Values.empty }}] [{{ or .Values.missing .Values.list }}] [{{ and .Values.list .Values.missing }}]', values),
  snippet('index-nested-lists', '{{ index .Values.m 0 1 }} {{ index .Values.m 1 0 "k" }}', JSON.stringify({ m: [[1, 2], [{ k: 'v' }]] })),
  snippet('with-missing-nested', '{{ with .Values.a }}{{ with .b }}{{ .c }}{{ end }}{{ end }}|{{ with .Values.x }}{{ .y }}{{ else }}no{{ end }}', JSON.stringify({ a: { b: { c: 'deep' } } })),
  snippet('if-empty-sprig', '{{ if empty .Values.list }}empty{{ else }}full{{ end }} {{ if not (empty .Values.missing) }}x{{ else }}none{{ end }}', values),
  snippet('crlf-text', 'a\r\n{{- "b" }}\r\nc\r\n'),
  snippet('comment-needs-no-space', '{{/*c*/}}x{{- /*c*/ -}} y'),
  snippet('comment-with-space-is-not', '{{ /* c */ }}'),
  snippet('comment-trim-marker-touching', '{{-/* c */-}}'),
  snippet('action-only-spaces', '{{   }}'),
  snippet('action-trim-only', '{{- -}}'),
  snippet('text-with-braces', 'a { b } {x} }} {'),
  snippet('string-with-delims', '{{ "{{ not an action }}" }}'),
  snippet('unicode-identifiers', '{{ $ĉu := "jes" }}{{ $ĉu }}'),
  snippet('variables-dollar-reassign', '{{ $ := 1 }}'),
  snippet('variable-field-missing', '{{ $v := .Values.nested }}{{ $v.none.deeper }}', values),
  snippet('number-method-call', '{{ 3.x }}'),
  snippet('field-on-dot-literal', '{{ ..x }}'),
  snippet('eq-with-nil-literal', '{{ eq nil nil }} {{ ne nil 1 }}'),
  snippet('len-values-unicode', '{{ len .Values.s }}', 's: "héllo 😀"\n'),
  snippet('template-with-pipeline', '{{ template "meshready.part" .Values.name | printf "%s!" }}', values),
  snippet('strict-dollar-in-template', '{{ define "x" }}{{ end }}'),
  snippet('missing-map-index-nil', '{{ $m := .Values.map }}{{ index $m "nope" | printf "%v" }}', values),
  snippet('float-keys-printing', '{{ .Values.f }} {{ .Values.g }} {{ .Values.h }}', 'f: 1.0\ng: 2.50\nh: 1e-7\n'),
  // --- Lexer and parser errors ---
  snippet('unclosed-action', '{{ print "a"'),
  snippet('unclosed-action-eof-newline', '{{ print "a"\n'),
  snippet('unterminated-string', '{{ "abc }}'),
  snippet('unterminated-raw', '{{ `abc }}'),
  snippet('unterminated-char', "{{ 'a }}"),
  snippet('unclosed-comment', '{{/* abc }}'),
  snippet('comment-no-delim', '{{/* abc */ }}'),
  snippet('bad-character', '{{ .Values.a-b }}'),
  snippet('unrecognized-character', '{{ # }}'),
  snippet('unexpected-char', '{{ print , }}'),
  snippet('colon-not-declare', '{{ $x : 1 }}'),
  snippet('malformed-char', "{{ 'ab' }}"),
  snippet('invalid-escape', '{{ "\\q" }}'),
  snippet('define-nested', '{{ define "inner" }}x{{ end }}'),
  snippet('unexpected-eof-in-range', '{{ range .Values.list }}'),
  snippet('multiline-action-error', '{{ print\n"a"\n\'bc\' }}'),
];

const fileSnippets: HelmSnippet[] = [
  file('file-plain', 'kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  uid: "{{ .Values.uid }}"\n', values),
  file('file-exec-error', 'a: 1\nb: {{ .Values.missing.x }}\n', values),
  file('file-exec-error-col', 'a: 1\nb:   {{ len 3 }}\n'),
  file('file-exec-error-unicode', 'é: "ü"\nb: {{ index 3 1 }}\n'),
  file('file-exec-error-unicode-column', 'é😀: {{ index 3 1 }}\n'),
  file('file-error-in-third-template', 'a: 1\n', undefined, { 'templates/b.yaml': 'b: {{ fail "in b" }}\n', 'templates/c.yaml': 'c: {{ fail "in c" }}\n' }),
  file('file-parse-error-first-in-order', 'a: {{ .x\n', undefined, { 'templates/sub/deep.yaml': 'b: {{ .y\n' }),
  file('file-parse-error-line', 'a: 1\nb: 2\nc: {{ .Values.x\n'),
  file('file-undefined-function', 'a: {{ nope }}\n'),
  file('file-fail', 'a: 1\nb: {{ fail "failed here" }}\n'),
  file('file-required', 'a: {{ required "x is required" .Values.x }}\n'),
  file('file-include-error-chain', 'a: {{ include "meshready.fails" . }}\n', undefined, { 'templates/_fails.tpl': '{{ define "meshready.fails" }}\n  {{ .Values.nope.deeper }}\n{{ end }}' }),
  file('file-include-fail-chain', 'a: {{ include "meshready.failhere" . }}\n', undefined, { 'templates/_fails.tpl': '{{ define "meshready.failhere" }}{{ fail "deep failure" }}{{ end }}' }),
  file('file-nested-include-chain', 'a: {{ include "meshready.outer" . }}\n', undefined, {
    'templates/_fails.tpl': '{{ define "meshready.outer" }}{{ include "meshready.inner" . }}{{ end }}{{ define "meshready.inner" }}{{ index 1 2 }}{{ end }}',
  }),
  file('file-template-error-chain', 'a: {{ template "meshready.t" . }}\n', undefined, { 'templates/_t.tpl': '{{ define "meshready.t" }}{{ len 3 }}{{ end }}' }),
  file('file-no-value-removed', 'a: "{{ .Values.missing }}"\nb: "<no value>"\n', values),
  file('file-multiple-definition', '{{ define "x" }}a{{ end }}{{ define "x" }}b{{ end }}a: 1\n'),
  file('file-empty-redefinition-ok', '{{ define "x" }}a{{ end }}{{ define "x" }} {{ end }}a: {{ include "x" . }}\n'),
  file('file-tpl-in-values', 'a: {{ tpl .Values.t . }}\n', JSON.stringify({ t: '{{ .Release.Name }}-{{ .Values.n }}', n: 2 })),
  file('file-strict-order-later-define-wins', 'a: {{ include "shared" . }}\n', undefined, {
    'templates/_a.tpl': '{{ define "shared" }}from-a{{ end }}',
    'templates/_b.tpl': '{{ define "shared" }}from-b{{ end }}',
  }),
  file('file-deeper-define-loses', 'a: {{ include "shared" . }}\n', undefined, {
    'templates/_top.tpl': '{{ define "shared" }}top{{ end }}',
    'templates/sub/_deep.tpl': '{{ define "shared" }}deep{{ end }}',
  }),
  file('file-values-mutation-order', 'order: {{ .Values.seen }}\n', 'seen: none\n', {
    'templates/zzz_mutate.yaml': '{{- $_ := set .Values "seen" "mutated" -}}',
    'templates/aaa_read.yaml': 'read: {{ .Values.seen }}\n',
  }),
  file('file-template-call', 'a: {{ template "meshready.count" 5 }}\n', undefined, { 'templates/_count.tpl': '{{ define "meshready.count" }}{{ . }}{{ end }}' }),
  file('file-notes-executed', 'a: 1\n', undefined, { 'templates/NOTES.txt': '{{ fail "notes fail" }}' }),
  file('file-partial-not-executed', 'a: 1\n', undefined, { 'templates/_partial.yaml': '{{ fail "partial executed" }}' }),
];

const parts: Record<string, string> = {
  'templates/_parts.tpl': [
    '{{ define "meshready.part" }}part({{ . }}){{ end }}',
    '{{ define "meshready.fails" }}{{ .Values.nope.deeper }}{{ end }}',
    '{{ define "meshready.odd name" }}odd{{ end }}',
    '{{ define "meshready.dollar" }}{{ $.x }}-{{ .x }}{{ end }}',
  ].join('\n'),
  'templates/_override.tpl': '{{ define "meshready.over" }}overridden{{ end }}',
};

const all = [...snippets.map((entry) => (entry.files ? entry : { ...entry, files: parts })), ...fileSnippets];

describe('text/template and Helm render, against helm template', async () => {
  const goldens = await helmGoldens('template', all);
  for (const entry of all) {
    it(`${entry.name}: ${entry.template.replaceAll('\n', '\\n')}`, () => {
      expect(renderSnippet(entry)).toEqual(goldens[entry.name]);
    });
  }
});

describe("Helm's strict mode (missingkey=error), which helm template has no flag for", () => {
  const strict = { strict: true };

  // Go reports a field chain at its second field, as the goldens above show.
  it('makes a missing map key an error, reported as Helm reformats execution errors', () => {
    expect(renderSnippet(file('strict-missing', 'a: {{ .Values.missing }}\n'), strict)).toEqual({
      error: 'snippet/templates/snippet.yaml:1:13\n  executing "snippet/templates/snippet.yaml" at <.Values.missing>:\n    map has no entry for key "missing"',
    });
  });

  it('makes a field of no value an error too', () => {
    expect(renderSnippet(file('strict-nil-data', 'a: {{ template "meshready.t" }}\n', undefined, { 'templates/_t.tpl': '{{ define "meshready.t" }}{{ .x }}{{ end }}' }), strict)).toEqual({
      error: 'snippet/templates/_t.tpl:1:29\n  executing "meshready.t" at <.x>:\n    nil data; no entry for key "x"',
    });
  });

  it('keeps present keys, null ones included, and tpl in the same mode', () => {
    expect(renderSnippet(file('strict-present', 'a: {{ .Values.here }}|{{ .Values.nothing }}|{{ tpl "{{ .Values.here }}" . }}\n', 'here: 1\nnothing: null\n'), strict)).toEqual({ output: 'a: 1||1\n' });
    expect(renderSnippet(file('strict-tpl', 'a: {{ tpl "{{ .Values.nope }}" . }}\n'), strict).error).toContain('executing "gotpl" at <.Values.nope>: map has no entry for key "nope"');
  });
});

describe("Helm's render loop", () => {
  const data = chartData(new Map());
  const template = (name: string, text: string): RenderTemplate => ({ name, path: `charts/${name}`, text, data, basePath: 'app/templates' });

  it('executes non-partials deepest first, then reverse-lexical, NOTES.txt included, one .Values shared', () => {
    const rendered = renderTemplates(
      [
        template('app/templates/a.yaml', '{{ .Template.Name }}'),
        template('app/templates/NOTES.txt', 'notes {{ .Template.BasePath }}'),
        template('app/templates/_helpers.tpl', '{{ define "x" }}x{{ end }}'),
        template('app/templates/z.yaml', '{{ include "x" . }}'),
        template('app/charts/sub/templates/b.yaml', 'b'),
      ],
      HELM_FUNCTIONS,
    );
    expect([...rendered].map(([name, output]) => [name, output.text])).toEqual([
      ['app/charts/sub/templates/b.yaml', 'b'],
      ['app/templates/z.yaml', 'x'],
      ['app/templates/a.yaml', 'app/templates/a.yaml'],
      ['app/templates/NOTES.txt', 'notes app/templates'],
    ]);
  });

  it('orders names as engine.go sorts them', () => {
    expect(sortTemplateNames(['a/t/b.yaml', 'a/t/a.yaml', 'a/c/s/t/x.yaml', 'a/t/_h.tpl', 'a/t/B.yaml'])).toEqual(['a/c/s/t/x.yaml', 'a/t/b.yaml', 'a/t/a.yaml', 'a/t/_h.tpl', 'a/t/B.yaml']);
  });

  it('reports where an error is, beside its message', () => {
    expect(() => renderTemplates([template('app/templates/a.yaml', 'a\n{{ fail "x" }}')], HELM_FUNCTIONS)).toThrow(
      expect.objectContaining({ message: 'execution error at (app/templates/a.yaml:2:3): x', template: 'app/templates/a.yaml', line: 2, column: 3 }),
    );
  });
});
