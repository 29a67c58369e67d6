import type { SnippetRow } from './helm-functions-harness.js';
import { compareWithHelm } from './helm-functions-harness.js';

/**
 * Sprig's regex functions (Go's RE2 syntax and iteration rules) and semver functions
 * (Masterminds/semver v3.4.0's constraint grammar) against helm v4.1.4.
 */

const REGEX: SnippetRow[] = [
  ['regexMatch', '{{ regexMatch "^[a-z]+$" "abc" }} {{ regexMatch "^[a-z]+$" "abc1" }} {{ regexMatch "(" "x" }} {{ regexMatch "(?i)ABC" "xabcx" }} {{ regexMatch "\\\\bfoo\\\\b" "a foo b" }} {{ regexMatch "" "" }}'],
  ['mustRegexMatch-error', '{{ mustRegexMatch "(" "x" }}'],
  ['regexFind', '{{ regexFind "[0-9]+" "ab12cd345" }}|{{ regexFind "z" "abc" }}|{{ regexFind "a|ab" "ab" }}|{{ regexFind "(?U)a+" "aaa" }}|{{ regexFind "x*" "abc" }}'],
  ['regexFind-error', '{{ regexFind "[" "x" }}'],
  ['mustRegexFind-error', '{{ mustRegexFind "a{2,1}" "x" }}'],
  ['regexFindAll', '{{ regexFindAll "[0-9]+" "a1b22c333" -1 }}|{{ regexFindAll "[0-9]+" "a1b22c333" 2 }}|{{ regexFindAll "[0-9]+" "abc" -1 }}|{{ regexFindAll "" "abc" -1 }}|{{ regexFindAll "a*" "baaab" -1 }}|{{ regexFindAll "." "héllo" 3 }}|{{ regexFindAll "x" "xx" 0 }}'],
  ['regexReplaceAll', '{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}|{{ regexReplaceAll "(?P<first>\\\\w+) (?P<last>\\\\w+)" "Jane Doe" "$last, $first" }}|{{ regexReplaceAll "a" "aaa" "$$" }}|{{ regexReplaceAll "a" "aaa" "$" }}|{{ regexReplaceAll "a(b)?" "a" "[$1]" }}|{{ regexReplaceAll "a" "a" "${x" }}|{{ regexReplaceAll "x*" "abc" "-" }}|{{ regexReplaceAll "b*" "abc" "-" }}|{{ regexReplaceAll "(a)" "a" "$01 $10 $1" }}'],
  ['regexReplaceAll-named-syntax', '{{ regexReplaceAll "(?<word>[a-z]+)" "ab cd" "<${word}>" }}'],
  ['regexReplaceAllLiteral', '{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}|{{ regexReplaceAllLiteral "" "ab" "-" }}'],
  ['regexSplit', '{{ regexSplit "z+" "pizza" -1 }}|{{ regexSplit "z+" "pizza" 0 }}|{{ regexSplit "z+" "pizza" 1 }}|{{ regexSplit "z+" "pizza" 2 }}|{{ regexSplit "" "abc" -1 }}|{{ regexSplit "a" "" -1 }}|{{ regexSplit "," "a,b,c," -1 }}|{{ regexSplit "x*" "axbc" -1 }}'],
  ['regexQuoteMeta', '{{ regexQuoteMeta "1.5-2.0?[a](b){c}|^$\\\\*+" }}'],
  ['regex-syntax', '{{ regexFind "[[:alpha:]]+" "12abc" }}|{{ regexFind "\\\\pL+" "1héllo2" }}|{{ regexFind "\\\\p{Greek}+" "aαβγb" }}|{{ regexFind "\\\\Qa.b\\\\E" "xa.by" }}|{{ regexFind "(?s)a.b" "a\\nb" }}|{{ regexFind "(?m)^b" "a\\nb" }}|{{ regexFind "\\\\x41\\\\x{42}" "ABC" }}|{{ regexFind "[^\\\\d\\\\s]+" "12 ab" }}|{{ regexFind "a{2}" "aaa" }}|{{ regexFind "a{,2}" "a{,2}" }}|{{ regexFind "\\\\z" "a" }}'],
  ['regex-error-paren', '{{ mustRegexFind ")" "x" }}'],
  ['regex-error-repeat', '{{ mustRegexFind "a**" "x" }}'],
  ['regex-error-backslash', '{{ mustRegexFind "a\\\\" "x" }}'],
  ['regex-error-lookahead', '{{ mustRegexFind "(?=a)" "x" }}'],
  ['regex-error-lookbehind', '{{ mustRegexFind "(?<=a)b" "x" }}'],
  ['regex-error-backref', '{{ mustRegexFind "(a)\\\\1" "x" }}'],
  ['regex-error-class', '{{ mustRegexFind "[[:foo:]]" "x" }}'],
  ['regex-error-range', '{{ mustRegexFind "[z-a]" "x" }}'],
  ['regex-error-repeat-size', '{{ mustRegexFind "a{1001}" "x" }}'],
  ['regex-error-unicode-class', '{{ mustRegexFind "\\\\p{Foo}" "x" }}'],
  ['regex-error-escape', '{{ mustRegexFind "\\\\Z" "x" }}'],
  ['regex-error-named', '{{ mustRegexFind "(?P<>a)" "x" }}'],
  ['regex-error-flags', '{{ mustRegexFind "(?x)a" "x" }}'],
  ['regex-error-missing-bracket', '{{ mustRegexSplit "[a" "x" -1 }}'],
  ['regex-must-compile-panic', '{{ regexReplaceAll "(" "x" "y" }}'],
  ['regex-must-compile-backquote', '{{ regexSplit "`(" "x" -1 }}'],
  ['regex-must-findall', '{{ mustRegexFindAll "[0-9]" "a1b2" -1 }}|{{ mustRegexReplaceAll "[0-9]" "a1b2" "#" }}|{{ mustRegexReplaceAllLiteral "[0-9]" "a1b2" "$" }}|{{ mustRegexSplit "[0-9]" "a1b2" -1 }}'],
  ['regex-unicode-empty-matches', '{{ regexReplaceAll "" "h€😀" "-" }}|{{ regexFindAll "" "€😀" -1 }}|{{ regexSplit "" "€😀" -1 }}'],
  ['regex-duplicate-names', '{{ regexReplaceAll "(?P<x>a)(?P<x>b)" "ab" "[${x}]" }}|{{ regexFind "[(?P<x>]+(?P<x>b)" "(b" }}|{{ regexReplaceAll "\\\\(?P<x>a)(?P<x>a)" "\\\\aa" "${x}" }}'],
  ['regex-linear', '{{ regexMatch "(a+)+$" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" }}'],
];

const SEMVER: SnippetRow[] = [
  ['semverCompare-basic', '{{ semverCompare ">=1.2.3" "1.2.3" }} {{ semverCompare ">1.2.3" "1.2.3" }} {{ semverCompare "<2" "1.9.9" }} {{ semverCompare "<=1.2" "1.2.9" }} {{ semverCompare "=1.2.3" "v1.2.3" }} {{ semverCompare "1.2.3" "1.2.3" }} {{ semverCompare "!=1.2.3" "1.2.4" }}'],
  ['semverCompare-kube', '{{ semverCompare ">=1.19-0" "1.30.0" }} {{ semverCompare ">=1.19-0" "v1.35.0-eks-123" }} {{ semverCompare ">=1.19" "1.35.0-eks" }} {{ semverCompare "<1.22-0" "1.21.5-gke.1302" }} {{ semverCompare ">=1.21-0 <1.25-0" "1.23.0" }} {{ semverCompare "^1.20.0-0" "1.35.0" }}'],
  ['semverCompare-caret', '{{ semverCompare "^1.2.3" "1.9.0" }} {{ semverCompare "^1.2.3" "2.0.0" }} {{ semverCompare "^0.2.3" "0.2.9" }} {{ semverCompare "^0.2.3" "0.3.0" }} {{ semverCompare "^0.0.3" "0.0.4" }} {{ semverCompare "^0.0" "0.0.9" }} {{ semverCompare "^0" "0.9.0" }} {{ semverCompare "^1.x" "1.5.0" }} {{ semverCompare "^*" "3.0.0" }}'],
  ['semverCompare-tilde', '{{ semverCompare "~1.2.3" "1.2.9" }} {{ semverCompare "~1.2.3" "1.3.0" }} {{ semverCompare "~1" "1.9.0" }} {{ semverCompare "~1.x" "2.0.0" }} {{ semverCompare "~>1.2" "1.2.5" }} {{ semverCompare "~0.0.0" "5.0.0" }} {{ semverCompare "~1.2" "1.2.0-beta" }} {{ semverCompare "~1.2.0-0" "1.2.1-beta" }}'],
  ['semverCompare-wildcards', '{{ semverCompare "1.x" "1.5.0" }} {{ semverCompare "1.2.*" "1.2.9" }} {{ semverCompare "*" "0.0.1" }} {{ semverCompare "1.X" "2.0.0" }} {{ semverCompare "!=1.x" "1.2.0" }} {{ semverCompare "!=1.2.x" "1.3.0" }} {{ semverCompare ">1.x" "2.0.0" }} {{ semverCompare ">1.x" "1.9.0" }} {{ semverCompare ">1.2.x" "1.3.0" }} {{ semverCompare "<=1.x" "1.9.9" }} {{ semverCompare "" "1.0.0" }}'],
  ['semverCompare-ranges', '{{ semverCompare "1.1 - 2" "1.5.0" }} {{ semverCompare "1.1 - 2" "2.0.1" }} {{ semverCompare "1.1.1 - 2.2.2" "2.2.2" }} {{ semverCompare ">=1.0, <2.0" "1.5.0" }} {{ semverCompare ">=1.0,<2.0" "2.0.0" }} {{ semverCompare "<1.0 || >=2.0" "2.1.0" }} {{ semverCompare "<1.0 || >=2.0" "1.5.0" }} {{ semverCompare ">= 1.2 < 1.4" "1.3.0" }}'],
  ['semverCompare-prerelease', '{{ semverCompare ">=1.0.0" "1.0.1-alpha" }} {{ semverCompare ">=1.0.0-0" "1.0.1-alpha" }} {{ semverCompare "<1.0.0-beta" "1.0.0-alpha" }} {{ semverCompare ">1.0.0-alpha.2" "1.0.0-alpha.10" }} {{ semverCompare ">1.0.0-alpha" "1.0.0-alpha.1" }} {{ semverCompare ">1.0.0-beta" "1.0.0-alpha.1" }} {{ semverCompare "=1.0.0+build" "1.0.0" }} {{ semverCompare ">1.0.0-1" "1.0.0-a" }}'],
  ['semverCompare-bad-constraint', '{{ semverCompare "abc" "1.0.0" }}'],
  ['semverCompare-bad-constraint-or', '{{ semverCompare ">=1.0 || ~x.y" "1.0.0" }}'],
  ['semverCompare-bad-version', '{{ semverCompare ">1" "a.b.c" }}'],
  ['semverCompare-bad-prerelease', '{{ semverCompare ">1" "1.0.0-01" }}'],
  ['semverCompare-bad-metadata', '{{ semverCompare ">1" "1.0.0+a..b" }}'],
  ['semverCompare-big-segment', '{{ semverCompare ">1" "99999999999999999999.0.0" }}'],
  ['semverCompare-empty-version', '{{ semverCompare ">1" "" }}'],
  ['semver', '{{ $v := semver "v1.2.3-beta.1+build.5" }}{{ $v.Major }} {{ $v.Minor }} {{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }} {{ $v.Original }} {{ $v }} {{ $v.String }}'],
  ['semver-coerce', '{{ semver "1" }} {{ semver "1.2" }} {{ semver "v2" }} {{ semver "01.02.03" }} {{ typeOf (semver "1.0.0") }}'],
  ['semver-methods', '{{ $v := semver "1.2.3" }}{{ $v.IncMajor }} {{ $v.IncMinor }} {{ $v.IncPatch }} {{ (semver "v1.2.3-rc.1").IncPatch }} {{ (semver "v1.0.0").IncMinor }} {{ ((semver "1.0.0").SetPrerelease "rc.1") }} {{ ((semver "1.0.0-a+b").SetMetadata "") }}'],
  // Inc* return a Version value: the methods with pointer receivers (Original, Compare, ...) are not there.
  ['semver-value-methods', '{{ ((semver "v1.0.0").IncMinor).Original }}'],
  ['semver-set-error', '{{ ((semver "1.0.0").SetPrerelease "01") }}'],
  ['semver-compare-methods', '{{ $a := semver "1.2.3" }}{{ $b := semver "1.10.0" }}{{ $a.LessThan $b }} {{ $a.GreaterThan $b }} {{ $a.Equal (semver "v1.2.3") }} {{ $a.Compare $b }} {{ $b.Compare $a }} {{ $a.Compare $a }}'],
  ['semver-error', '{{ semver "x1.0" }}'],
  ['semver-error-leading-zero', '{{ semver "1.0.0-rc.01" }}'],
];

await compareWithHelm('functions-regex', REGEX);
await compareWithHelm('functions-semver', SEMVER);
