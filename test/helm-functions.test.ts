import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPRIG_FUNCTIONS } from '../src/core/helm/functions/index.js';
import { ROOT } from './helpers.js';
import type { SnippetRow } from './helm-functions-harness.js';
import { compareWithHelm, renderWithSprig } from './helm-functions-harness.js';

/**
 * Sprig's string, list, dict, default, numeric and path functions against helm v4.1.4:
 * each snippet's output (or the end of helm's error) is what helm printed for it.
 */

const VALUES = `
text: "héllo wörld"
three: 3
half: 2.5
big: 1000000
neg: -7.9
flag: true
empty: ""
zero: 0
list: [a, b, c]
nums: [1, 2, 3]
mixed: [1, "1", null, "", 0, a]
nested:
  a:
    b: deep
  list: [x]
nil: null
map:
  b: 2
  a: 1
`;

const ROWS: SnippetRow[] = [
  // trunc / substr / abbrev count bytes
  ['trunc', '{{ trunc 3 "abcdef" }}|{{ trunc -2 "abcdef" }}|{{ trunc 10 "ab" }}|{{ trunc -10 "ab" }}|{{ trunc 0 "ab" }}'],
  ['trunc-bytes', '{{ trunc 2 "héllo" }}|{{ trunc 3 "héllo" }}|{{ trunc -3 "héllo" }}'],
  ['trunc-float-value', '{{ trunc .Values.three "abcdef" }}', VALUES],
  ['trunc-float-literal', '{{ trunc 2.0 "abcdef" }}'],
  ['trunc-string-count', '{{ trunc "2" "abcdef" }}'],
  ['substr', '{{ substr 1 3 "abcdef" }}|{{ substr -1 2 "abcdef" }}|{{ substr 2 -1 "abcdef" }}|{{ substr 2 99 "abcdef" }}|{{ substr 0 0 "abc" }}'],
  ['substr-panic-end', '{{ substr -1 9 "abc" }}'],
  ['substr-panic-start', '{{ substr 4 9 "abc" }}'],
  ['substr-panic-order', '{{ substr 2 1 "abc" }}'],
  ['abbrev', '{{ abbrev 5 "hello world" }}|{{ abbrev 3 "hello world" }}|{{ abbrev 20 "hello" }}|{{ abbrev 4 "" }}'],
  ['abbrevboth', '{{ abbrevboth 5 10 "1234 5678 9123" }}|{{ abbrevboth 0 6 "1234 5678 9123" }}|{{ abbrevboth 1 6 "1234 5678 9123" }}|{{ abbrevboth 10 10 "abcdefghijklmnopqrstuvwxyz" }}'],
  // case
  ['upper-lower', '{{ upper "straße ǆ héllo" }}|{{ lower "İSTANBUL ΑΣ HÉ" }}'],
  ['title', '{{ title "hello wORLD-foo_bar.baz 3rd ǆemal" }}|{{ untitle "Hello World FOO" }}'],
  ['swapcase', '{{ swapcase "Hello wORLD ǅ" }}'],
  ['snakecase', '{{ snakecase "FirstName" }}|{{ snakecase "HTTPServer" }}|{{ snakecase "NoHTTPS" }}|{{ snakecase "GO_PATH" }}|{{ snakecase "GO PATH" }}|{{ snakecase "http2xx" }}|{{ snakecase "HTTP20xOK" }}|{{ snakecase "Duration2m3s" }}|{{ snakecase "Bld4Floor3rd" }}|{{ snakecase "a.b-c d" }}|{{ snakecase "" }}'],
  ['kebabcase', '{{ kebabcase "FirstName" }}|{{ kebabcase "HTTPServer" }}|{{ kebabcase "some_words here" }}|{{ kebabcase "ABC123def" }}|{{ kebabcase "x--y" }}'],
  ['camelcase', '{{ camelcase "some_words" }}|{{ camelcase "http_server" }}|{{ camelcase "_complex__case_" }}|{{ camelcase "some words" }}|{{ camelcase "GOLANG_IS_GREAT" }}|{{ camelcase "a" }}|{{ camelcase "_" }}|{{ camelcase "" }}|{{ camelcase "fooBar-baz" }}'],
  // trim family
  ['trim', '[{{ trim "  \\t a b \\n" }}][{{ trimAll "$" "$$a$b$$" }}][{{ trimall "ab" "abcba" }}][{{ trimSuffix "-" "a-b-" }}][{{ trimPrefix "-" "-a-" }}][{{ trimSuffix "" "abc" }}]'],
  ['nospace', '{{ nospace "a b\\tc\\nd" }}|{{ nospace "héllo" }}|{{ nospace "hé llo" }}'],
  ['initials', '{{ initials "hello big world" }}|{{ initials "" }}|{{ initials "  a  b " }}'],
  ['repeat', '{{ repeat 3 "ab" }}|{{ repeat 0 "ab" }}'],
  ['repeat-negative', '{{ repeat -1 "ab" }}'],
  ['wrap', '{{ wrap 5 "hello world foo bar" }}|{{ wrap 3 "abcdefgh ij" }}|{{ wrapWith 5 "<br>" "hello world" }}|{{ wrapWith 3 "\\n" "abcdefgh ij" }}|{{ wrap 0 "a b" }}'],
  ['contains', '{{ contains "ll" "hello" }} {{ contains "" "x" }} {{ hasPrefix "he" "hello" }} {{ hasSuffix "lo" "hello" }} {{ hasPrefix "x" "hello" }}'],
  ['quote', '{{ quote "a\\"b" }}|{{ quote 1 2.5 true nil "x" }}|{{ quote }}|{{ quote "tab\\there\\u00a0é\\u0007" }}|{{ squote "a" 1 nil }}|{{ quote .Values.list }}|{{ quote .Values.nil }}', VALUES],
  ['cat', '{{ cat "a" 1 nil 2.5 "b" }}|{{ cat }}|{{ cat .Values.list .Values.map }}', VALUES],
  ['indent', '{{ indent 2 "a\\nb" }}|{{ nindent 3 "x" }}|{{ indent 0 "a\\n" }}|{{ indent -2 "a" }}'],
  ['replace', '{{ replace "a" "b" "banana" }}|{{ replace "" "-" "abc" }}|{{ replace "an" "" "banana" }}'],
  ['plural', '{{ plural "one" "many" 1 }} {{ plural "one" "many" 2 }} {{ plural "one" "many" 0 }}'],
  ['toString', '{{ toString 1 }}|{{ toString 2.5 }}|{{ toString nil }}|{{ toString true }}|{{ toString .Values.list }}|{{ toString .Values.big }}|{{ toString .Values.map }}', VALUES],
  ['split', '{{ $p := split "." "a.b.c" }}{{ $p._0 }}{{ $p._2 }}|{{ split "," "" }}|{{ splitList "," "a,b,,c" }}|{{ splitList "" "abc" }}|{{ splitn "." 2 "a.b.c" }}|{{ splitn "." 0 "a.b" }}|{{ splitn "." -1 "a.b" }}'],
  ['toStrings', '{{ toStrings .Values.mixed }}|{{ toStrings "x" }}|{{ toStrings nil }}|{{ toStrings 3 }}|{{ toStrings .Values.nums }}', VALUES],
  ['join', '{{ join "-" .Values.list }}|{{ join "," .Values.mixed }}|{{ join "," "abc" }}|{{ join "," nil }}|{{ join ", " .Values.nums }}', VALUES],
  ['sortAlpha', '{{ sortAlpha .Values.mixed }}|{{ sortAlpha "b" }}|{{ sortAlpha (list "b" "B" "a" "é" "10" "9") }}', VALUES],
  ['b64', '{{ b64enc "héllo" }}|{{ b64dec "aMOpbGxv" }}|{{ b64dec "aGk" }}|{{ b64dec "aGk=" }}|{{ b64dec "a=Gk" }}|{{ b64dec "aGk*" }}|{{ b64dec "aGk=x" }}|{{ b64dec "aG\\nk=" }}'],
  ['b32', '{{ b32enc "hello" }}|{{ b32dec "NBSWY3DP" }}|{{ b32dec "NBSWY3D" }}|{{ b32dec "NBSWY3DPEE======" }}|{{ b32dec "nbswy3dp" }}|{{ b32dec "NB======" }}|{{ b32dec "N=======" }}'],
  // lists
  ['list', '{{ list 1 "a" nil 2.5 }}|{{ list }}|{{ tuple 1 2 }}|{{ typeOf (list 1) }}'],
  ['append', '{{ append (list 1 2) 3 }}|{{ prepend (list 1 2) 0 }}|{{ mustAppend .Values.list "d" }}|{{ push .Values.list "e" }}|{{ .Values.list }}', VALUES],
  ['append-string', '{{ append "abc" 1 }}'],
  ['append-nil', '{{ append nil 1 }}'],
  ['append-map', '{{ mustPrepend .Values.map 1 }}', VALUES],
  ['first-last', '{{ first .Values.list }}|{{ last .Values.list }}|{{ first (list) }}|{{ rest .Values.list }}|{{ initial .Values.list }}|{{ rest (list) }}|{{ initial (list) }}|{{ mustFirst .Values.nums }}', VALUES],
  ['first-string', '{{ first "abc" }}'],
  ['last-float', '{{ mustLast 1.5 }}'],
  ['reverse', '{{ reverse .Values.list }}|{{ reverse (list) }}|{{ .Values.list }}', VALUES],
  ['compact', '{{ compact .Values.mixed }}|{{ compact (list 0 false "" nil (list) (dict)) }}', VALUES],
  ['uniq', '{{ uniq (list 1 1 "1" 2 1.0 nil nil) }}|{{ uniq .Values.nums }}', VALUES],
  ['without', '{{ without (list 1 2 3 2) 2 }}|{{ without .Values.list "a" "c" }}|{{ without .Values.nums 1 }}', VALUES],
  ['has', '{{ has 1 (list 1 2) }} {{ has "1" (list 1 2) }} {{ has 1 nil }} {{ has "a" .Values.list }} {{ has 1 .Values.nums }} {{ has 1.0 .Values.nums }}', VALUES],
  ['has-string', '{{ has "a" "abc" }}'],
  ['slice', '{{ slice .Values.list }}|{{ slice .Values.list 1 }}|{{ slice .Values.list 1 2 }}|{{ slice (list) }}|{{ slice .Values.list "1" }}', VALUES],
  ['slice-out-of-range', '{{ slice (list 1 2) 1 5 }}'],
  ['slice-string', '{{ slice "abc" 1 }}'],
  ['concat', '{{ concat (list 1) (list 2 3) .Values.list }}|{{ concat }}', VALUES],
  ['concat-string', '{{ concat (list 1) "x" }}'],
  ['chunk', '{{ chunk 2 (list 1 2 3 4 5) }}|{{ chunk 3 (list 1 2 3) }}|{{ chunk 2 (list) }}|{{ chunk 5 (list 1) }}'],
  ['chunk-string', '{{ chunk 2 "ab" }}'],
  // dicts
  ['dict', '{{ dict "a" 1 "b" "x" }}|{{ dict "a" }}|{{ dict 1 2 nil 3 }}|{{ dict }}'],
  ['get-set', '{{ $d := dict "a" 1 }}{{ get $d "a" }}|{{ get $d "z" }}|{{ set $d "b" 2 }}|{{ unset $d "a" }}|{{ $d }}|{{ hasKey $d "b" }} {{ hasKey $d "a" }}'],
  ['set-values', '{{ $_ := set .Values "added" "yes" }}{{ .Values.added }}|{{ $_ := set .Values.nested "n" 1 }}{{ .Values.nested }}', VALUES],
  ['pluck', '{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}|{{ pluck "z" (dict "a" 1) }}'],
  // Go's map order is random: only sorted keys and values can be compared.
  ['keys', '{{ sortAlpha (keys (dict "b" 1 "a" 2) (dict "c" 3)) }}|{{ keys }}|{{ sortAlpha (keys .Values.map) }}|{{ sortAlpha (values (dict "b" 1 "a" 2)) }}|{{ keys (dict "a" 1) (dict "a" 2) }}', VALUES],
  ['pick-omit', '{{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" "z" }}|{{ omit (dict "a" 1 "b" 2 "c" 3) "a" "z" }}'],
  ['merge', '{{ $d := dict "a" 1 "n" (dict "x" 1) "e" "" "l" (list 1) }}{{ merge $d (dict "a" 2 "b" 3 "n" (dict "x" 2 "y" 2) "e" "filled" "l" (list 9)) }}|{{ $d }}'],
  ['merge-overwrite', '{{ $d := dict "a" 1 "n" (dict "x" 1 "z" 1) "e" "x" "l" (list 1) "k" "keep" }}{{ mergeOverwrite $d (dict "a" 2 "n" (dict "x" 2) "e" "" "l" (list) "k" nil) }}'],
  ['merge-many', '{{ merge (dict) (dict "a" 1) (dict "a" 2 "b" 2) }}|{{ mustMergeOverwrite (dict "a" 0) (dict "a" 1) (dict "a" 2 "b" 2) }}|{{ merge (dict "n" (dict)) (dict "n" (dict "a" 1)) }}|{{ merge (dict "n" "s") (dict "n" (dict "a" 1)) }}'],
  ['merge-values', '{{ $m := merge (dict "text" "mine") .Values }}{{ $m.text }}|{{ $m.three }}', VALUES],
  ['deepCopy', '{{ $a := dict "l" (list 1 (dict "x" 1)) }}{{ $b := deepCopy $a }}{{ $_ := set $b "new" 1 }}{{ $a }}|{{ $b }}|{{ deepCopy nil }}|{{ mustDeepCopy (list 1 2) }}|{{ deepCopy 3 }}'],
  ['dig', '{{ $v := merge (dict) .Values }}{{ dig "nested" "a" "b" "none" $v }}|{{ dig "nested" "z" "none" $v }}|{{ dig "three" "d" $v }}|{{ dig "a" "b" "none" .Values.nested }}', VALUES],
  ['dig-through-scalar', '{{ dig "a" "b" "x" "d" .Values.nested }}', VALUES],
  ['dig-key-type', '{{ dig 1 "d" (dict) }}'],
  ['dig-short', '{{ dig "a" (dict) }}'],
  ['dig-not-map', '{{ dig "a" "d" "x" }}'],
  // defaults
  ['default', '{{ default "d" "" }}|{{ default "d" "x" }}|{{ default "d" 0 }}|{{ default "d" 0.0 }}|{{ default "d" false }}|{{ default "d" nil }}|{{ default "d" (list) }}|{{ default "d" (dict) }}|{{ default "d" }}|{{ default "d" .Values.zero }}|{{ default "d" .Values.missing }}|{{ default 1 .Values.three }}', VALUES],
  ['empty', '{{ empty "" }} {{ empty 0 }} {{ empty 1 }} {{ empty nil }} {{ empty (list) }} {{ empty (list 0) }} {{ empty (dict) }} {{ empty false }} {{ empty .Values.zero }} {{ empty .Values.missing }}', VALUES],
  ['coalesce', '{{ coalesce "" 0 "x" "y" }}|{{ coalesce nil "" }}|{{ coalesce }}|{{ coalesce .Values.missing .Values.text }}', VALUES],
  ['all-any', '{{ all 1 "a" true }} {{ all 1 "" }} {{ all }} {{ any 0 "" nil }} {{ any 0 "a" }} {{ any }}'],
  ['ternary', '{{ ternary "y" "n" true }} {{ ternary "y" "n" false }} {{ true | ternary 1 2 }}'],
  ['ternary-not-bool', '{{ ternary "y" "n" "true" }}'],
  ['fail', '{{ fail "custom failure" }}'],
  // reflect
  ['typeOf', '{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf "s" }} {{ typeOf nil }} {{ typeOf true }} {{ typeOf (list) }} {{ typeOf (dict) }} {{ typeOf .Values.three }}', VALUES],
  ['kindOf', '{{ kindOf 1 }} {{ kindOf 1.5 }} {{ kindOf "s" }} {{ kindOf nil }} {{ kindOf (list) }} {{ kindOf (dict) }} {{ kindOf true }}'],
  ['typeIs', '{{ typeIs "int" 1 }} {{ typeIs "string" 1 }} {{ typeIsLike "string" "a" }} {{ kindIs "map" (dict) }} {{ kindIs "slice" .Values.list }} {{ kindIs "float64" .Values.three }}', VALUES],
  ['deepEqual', '{{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual (dict "a" (list 1)) (dict "a" (list 1)) }} {{ deepEqual 1 1.0 }} {{ deepEqual nil nil }} {{ deepEqual "a" "a" }} {{ deepEqual (list) (list 1) }}'],
  // numeric
  ['add', '{{ add 1 2 3 }}|{{ add }}|{{ add 1.9 1.9 }}|{{ add "3" 4 }}|{{ add "x" 1 }}|{{ add true 1 }}|{{ add nil 1 }}|{{ add .Values.half .Values.three }}|{{ add "10.00" 1 }}|{{ add "1.5" 1 }}|{{ add "0x10" 1 }}|{{ add "010" 1 }}|{{ add "1_000" 1 }}', VALUES],
  ['add1-sub-mul', '{{ add1 1 }} {{ add1 .Values.half }} {{ sub 10 3 }} {{ sub 1.5 3 }} {{ mul 2 3 4 }} {{ mul 5 }} {{ mul 2.9 2 }}', VALUES],
  ['div-mod', '{{ div 7 2 }} {{ div -7 2 }} {{ mod 7 3 }} {{ mod -7 3 }} {{ div 7.9 2 }}'],
  ['div-zero', '{{ div 1 0 }}'],
  ['mod-zero', '{{ mod 1 0 }}'],
  ['overflow', '{{ add 9223372036854775807 1 }} {{ mul 9223372036854775807 2 }} {{ int64 1e19 }} {{ int 1e300 }}'],
  ['max-min', '{{ max 1 5 3 }} {{ min 4 2 8 }} {{ biggest 1.9 1 }} {{ max 7 }} {{ maxf 1 2.5 }} {{ minf 1 2.5 -3 }} {{ maxf 1 }}'],
  ['floats', '{{ addf 1.1 2.2 }} {{ addf }} {{ add1f 1.5 }} {{ subf 10 1.1 2.2 }} {{ mulf 1.1 3 }} {{ divf 10 3 }} {{ divf 1 3 3 }} {{ divf 2 3 }} {{ mulf 0.1 0.2 }} {{ addf 0.1 0.2 }}'],
  ['divf-zero', '{{ divf 1 0 }}'],
  ['ceil-floor-round', '{{ ceil 1.1 }} {{ floor 1.9 }} {{ ceil -1.1 }} {{ round 3.14159 2 }} {{ round 2.5 0 }} {{ round 2.4 0 }} {{ round 1.235 2 .3 }} {{ round -2.5 0 }} {{ round "3.7" 0 }} {{ floor "x" }}'],
  ['conversions', '{{ int "12" }} {{ int 3.9 }} {{ int -3.9 }} {{ int64 "0x1f" }} {{ float64 "1.5" }} {{ float64 3 }} {{ float64 "x" }} {{ atoi "42" }} {{ atoi "4.2" }} {{ atoi " 1" }} {{ atoi "+7" }} {{ int true }} {{ float64 "1e400" }} {{ float64 "inf" }} {{ float64 "0x1p-2" }} {{ float64 "1_000.5" }} {{ float64 "_1" }} {{ int "0b101" }} {{ int "-0o17" }} {{ int "1__0" }}'],
  ['toDecimal', '{{ toDecimal "0777" }} {{ toDecimal "777" }} {{ toDecimal 777 }} {{ toDecimal "8" }} {{ toDecimal "0o7" }}'],
  ['floats-print', '{{ .Values.big }} {{ .Values.half }} {{ .Values.neg }} {{ float64 123456 }} {{ float64 1234567 }} {{ divf 1 100000 }} {{ float64 "1e21" }} {{ float64 "-0" }}', VALUES],
  ['until', '{{ until 5 }}|{{ until -3 }}|{{ until 0 }}|{{ untilStep 0 10 3 }}|{{ untilStep 10 0 -4 }}|{{ untilStep 0 10 -1 }}|{{ untilStep 0 10 0 }}'],
  ['seq', '{{ seq 5 }}|{{ seq -3 }}|{{ seq 0 }}|{{ seq 2 5 }}|{{ seq 5 2 }}|{{ seq 0 2 10 }}|{{ seq 10 -3 1 }}|{{ seq 10 3 1 }}|{{ seq }}|{{ seq 1 2 3 4 }}|{{ seq 1 }}'],
  ['randInt-empty', '{{ randInt 5 5 }}'],
  // paths
  ['paths', '{{ base "/a/b.txt" }} {{ base "" }} {{ base "/" }} {{ base "a/b/" }} {{ dir "/a/b" }} {{ dir "a" }} {{ dir "" }} {{ dir "/" }} {{ clean "a//b/../c/." }} {{ clean "" }} {{ clean "/../a" }} {{ clean "../../a" }} {{ ext "a/b.tar.gz" }} {{ ext "a.b/c" }} {{ isAbs "/a" }} {{ isAbs "a" }}'],
  ['os-paths', '{{ osBase "/a/b.txt" }} {{ osDir "/a/b" }} {{ osClean "a//b/../c" }} {{ osExt "x.y" }} {{ osIsAbs "/x" }}'],
  // url
  ['urlParse', '{{ urlParse "https://user:p%40ss@example.com:8080/a%20b/c?x=1&y=2#frag%21" }}'],
  ['urlParse-forms', '{{ urlParse "mailto:joe@example.com" }}|{{ urlParse "/just/path?q" }}|{{ urlParse "//host/p" }}|{{ (urlParse "http://[::1]:80/").hostname }}|{{ urlParse "" }}'],
  ['urlParse-error', '{{ urlParse ":nope" }}'],
  ['urlParse-colon', '{{ urlParse "a:b/c" }}|{{ urlParse "1a:b" }}'],
  ['urlParse-bad-escape', '{{ urlParse "http://h/%zz" }}'],
  ['urlJoin', '{{ urlJoin (dict "scheme" "https" "host" "example.com:443" "path" "/a b" "query" "x=1" "fragment" "f g" "userinfo" "me:se cret") }}|{{ urlJoin (dict "path" "a:b") }}|{{ urlJoin (dict "scheme" "mailto" "opaque" "joe@example.com") }}|{{ urlJoin (dict) }}|{{ urlJoin (dict "host" "h" "path" "p") }}'],
  ['urlJoin-type', '{{ urlJoin (dict "host" 1) }}'],
  ['hello', '{{ hello }}'],
  // the must* twins of the list functions, and their errors
  ['must-lists', '{{ mustPush (list 1) 2 }}|{{ mustRest .Values.list }}|{{ mustInitial .Values.list }}|{{ mustReverse .Values.nums }}|{{ mustCompact .Values.mixed }}|{{ mustUniq (list 1 1 2) }}|{{ mustWithout .Values.list "b" }}|{{ mustHas "c" .Values.list }}|{{ mustSlice .Values.list 0 1 }}|{{ mustChunk 2 .Values.nums }}|{{ mustMerge (dict "a" 1) (dict "a" 2 "b" 2) }}', VALUES],
  ['mustRest-map', '{{ mustRest .Values.map }}', VALUES],
  ['mustInitial-int', '{{ mustInitial 1 }}'],
  ['mustReverse-string', '{{ mustReverse "ab" }}'],
  ['mustCompact-bool', '{{ mustCompact true }}'],
  ['mustUniq-map', '{{ mustUniq (dict) }}'],
  ['mustWithout-string', '{{ mustWithout "abc" "a" }}'],
  ['mustHas-map', '{{ mustHas 1 (dict) }}'],
  ['mustSlice-float', '{{ mustSlice 1.5 }}'],
  ['mustChunk-nil', '{{ mustChunk 2 nil }}'],
  ['reverse-nil', '{{ reverse nil }}'],
  ['uniq-values', '{{ uniq (concat .Values.nums .Values.nums (list 1 2)) }}', VALUES],
  // values' numbers are float64: comparisons with int literals see different types
  ['float-values', '{{ has 1 .Values.nums }} {{ has 1.0 .Values.nums }} {{ without .Values.nums 2 }} {{ deepEqual .Values.three 3 }} {{ deepEqual .Values.three 3.0 }} {{ add .Values.three 1 }} {{ addf .Values.three 0.5 }} {{ max .Values.half 2 }} {{ int .Values.neg }} {{ int64 .Values.big }} {{ toString .Values.three }} {{ quote .Values.half }} {{ until (int .Values.three) }}', VALUES],
  ['float-values-int-param', '{{ until .Values.three }}', VALUES],
  ['unicode-strings', '{{ upper "ǆemal ß ﬁ" }}|{{ lower "ǅ Σ" }}|{{ title "élan vital" }}|{{ swapcase "ÉlaN" }}|{{ trunc 1 "😀x" }}|{{ substr 0 4 "😀x" }}|{{ abbrev 5 "ééééé" }}|{{ repeat 2 "😀" }}|{{ initials "élan vital" }}|{{ snakecase "ÉlanVital" }}|{{ camelcase "élan_vital" }}|{{ kebabcase "日本語Text" }}'],
  ['empty-inputs', '[{{ trim "" }}][{{ upper "" }}][{{ title "" }}][{{ snakecase "" }}][{{ kebabcase "" }}][{{ swapcase "" }}][{{ untitle "" }}][{{ nospace "" }}][{{ wrap 5 "" }}][{{ indent 2 "" }}][{{ nindent 2 "" }}][{{ replace "a" "b" "" }}][{{ b64enc "" }}][{{ b64dec "" }}][{{ b32enc "" }}][{{ b32dec "" }}][{{ sha1sum "" }}][{{ join "," (list) }}][{{ sortAlpha (list) }}][{{ splitList "," "" }}][{{ cat "" }}][{{ quote "" }}][{{ squote "" }}]'],
];

await compareWithHelm('functions', ROWS);

/** Sprig v3.3.0's TxtFuncMap (functions.go) less what helm deletes (env, expandenv) and replaces (toJson, mustToJson, fromJson). */
const SPRIG_NAMES = `abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc b64dec b64enc base bcrypt biggest
buildCustomCert camelcase cat ceil chunk clean coalesce compact concat contains date dateInZone dateModify date_in_zone date_modify
decryptAES deepCopy deepEqual default derivePassword dict dig dir div divf duration durationRound empty encryptAES ext fail first float64
floor genCA genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey get getHostByName
has hasKey hasPrefix hasSuffix hello htmlDate htmlDateInZone htpasswd indent initial initials int int64 isAbs join kebabcase keys kindIs
kindOf last list lower max maxf merge mergeOverwrite min minf mod mul mulf mustAppend mustChunk mustCompact mustDateModify mustDeepCopy
mustFirst mustFromJson mustHas mustInitial mustLast mustMerge mustMergeOverwrite mustPrepend mustPush mustRegexFind mustRegexFindAll
mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToPrettyJson
mustToRawJson mustUniq mustWithout must_date_modify nindent nospace now omit osBase osClean osDir osExt osIsAbs pick pluck plural prepend
push quote randAlpha randAlphaNum randAscii randBytes randInt randNumeric regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll
regexReplaceAllLiteral regexSplit repeat replace rest reverse round semver semverCompare seq set sha1sum sha256sum sha512sum shuffle slice
snakecase sortAlpha split splitList splitn squote sub subf substr swapcase ternary title toDate toDecimal toPrettyJson toRawJson toString
toStrings trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq unixEpoch unset until untilStep untitle
upper urlJoin urlParse uuidv4 values without wrap wrapWith`.split(/\s+/);

/** Functions whose results are random or read the clock: their suites check properties, not helm's output. */
const PROPERTY_TESTED = ['shuffle', 'bcrypt', 'uuidv4', 'genCA', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'now', 'ago'];

describe('the function map', () => {
  it('has every Sprig function helm keeps, and nothing else', () => {
    expect([...SPRIG_FUNCTIONS.keys()].sort()).toEqual([...SPRIG_NAMES].sort());
  });

  it('every function not random nor clock-bound is in a snippet compared with helm', () => {
    const goldens = readdirSync(join(ROOT, 'test/goldens/helm')).filter((file) => file.startsWith('functions'));
    const words = new Set(
      goldens.flatMap((file) =>
        Object.values((JSON.parse(readFileSync(join(ROOT, 'test/goldens/helm', file), 'utf8')) as { snippets: Record<string, { template: string }> }).snippets).flatMap(
          (snippet) => snippet.template.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [],
        ),
      ),
    );
    expect(SPRIG_NAMES.filter((name) => !words.has(name) && !PROPERTY_TESTED.includes(name))).toEqual([]);
  });
});

describe('what one call may build', () => {
  it('stops the render where Go would exhaust memory: a pull request cannot make a worker allocate gigabytes', () => {
    for (const template of ['{{ until 100000000 }}', '{{ untilStep 0 1000000000000 3 }}', '{{ seq 1 2 999999999 }}', '{{ repeat 100000000 "ab" }}', '{{ indent 999999999 "x" }}', '{{ randAlphaNum 999999999 }}', '{{ randBytes 999999999 }}']) {
      expect(renderWithSprig(template).error, template).toMatch(/^render budget exceeded: .* would build \d+ items \(at most 16777216\)$/);
    }
    expect(renderWithSprig('{{ len (until 100000) }}')).toEqual({ output: '100000' });
  });
});
