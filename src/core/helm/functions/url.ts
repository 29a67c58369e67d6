import type { GoFunction, GoMap, GoValue } from '../values.js';
import { goMap } from '../values.js';
import { fail, goFunction } from './define.js';
import { NIL_POINTER } from './lists.js';
import { quoteGo } from '../fmt.js';
import { kindOf } from './reflect.js';
import { fromUtf8, utf8Bytes } from './text.js';

/** Sprig's urlParse and urlJoin over a port of Go's net/url Parse and URL.String. */

type Mode = 'path' | 'host' | 'userinfo' | 'fragment';

interface Url {
  scheme: string;
  opaque: string;
  user: { username: string; password?: string } | null;
  host: string;
  path: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
}

const isAlphanumeric = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);

/** net/url's shouldEscape for the modes these functions use. */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlphanumeric(c)) return false;
  const char = String.fromCharCode(c);
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(char)) return false;
  if ('-_.~'.includes(char)) return false;
  if ('$&+,/:;=?@'.includes(char)) {
    if (mode === 'path') return char === '?';
    if (mode === 'userinfo') return '@/?:'.includes(char);
    if (mode === 'fragment') return false;
  }
  if (mode === 'fragment' && '!()*'.includes(char)) return false;
  return true;
}

function escape(text: string, mode: Mode): string {
  let out = '';
  for (const byte of utf8Bytes(text)) {
    out += shouldEscape(byte, mode) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
  }
  return out;
}

const isHex = (char: string | undefined) => char !== undefined && /^[0-9a-fA-F]$/.test(char);

function unescape(text: string, mode: Mode): string {
  for (let i = 0; i < text.length; ) {
    const char = text[i]!;
    if (char === '%') {
      if (i + 2 >= text.length || !isHex(text[i + 1]) || !isHex(text[i + 2])) throw new Error(`invalid URL escape ${quoteGo(text.slice(i, i + 3))}`);
      if (mode === 'host' && parseInt(text[i + 1]!, 16) < 8 && text.slice(i, i + 3) !== '%25') throw new Error(`invalid URL escape ${quoteGo(text.slice(i, i + 3))}`);
      i += 3;
      continue;
    }
    if (mode === 'host' && char.charCodeAt(0) < 0x80 && shouldEscape(char.charCodeAt(0), mode)) throw new Error(`invalid character ${quoteGo(char)} in host name`);
    i++;
  }
  const bytes: number[] = [];
  const source = utf8Bytes(text);
  for (let i = 0; i < source.length; i++) {
    if (source[i] === 0x25) {
      bytes.push(parseInt(String.fromCharCode(source[i + 1]!, source[i + 2]!), 16));
      i += 2;
    } else bytes.push(source[i]!);
  }
  return fromUtf8(Uint8Array.from(bytes));
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

const validOptionalPort = (port: string) => port === '' || /^:[0-9]*$/.test(port);

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end < 0) throw new Error("missing ']' in host");
    const colonPort = host.slice(end + 1);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${quoteGo(colonPort)} after host`);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1 && !validOptionalPort(host.slice(colon))) throw new Error(`invalid port ${quoteGo(host.slice(colon))} after host`);
  }
  return unescape(host, 'host');
}

function parseAuthority(authority: string): Pick<Url, 'user' | 'host'> {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return { user: null, host };
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new Error('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon === -1) return { user: { username: unescape(userinfo, 'userinfo') }, host };
  return { user: { username: unescape(userinfo.slice(0, colon), 'userinfo'), password: unescape(userinfo.slice(colon + 1), 'userinfo') }, host };
}

/** url.Parse; its error as Go prints it (`parse "URL": reason`). */
function parseUrl(raw: string): Url {
  const hash = raw.indexOf('#');
  const beforeFragment = hash === -1 ? raw : raw.slice(0, hash);
  const url = wrapErrors(beforeFragment, () => parseWithoutFragment(beforeFragment));
  if (hash !== -1) url.fragment = wrapErrors(raw, () => unescape(raw.slice(hash + 1), 'fragment'));
  return url;
}

function wrapErrors<T>(raw: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`parse ${quoteGo(raw)}: ${(error as Error).message}`);
  }
}

function parseWithoutFragment(raw: string): Url {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error('net/url: invalid control character in URL');
  const url: Url = { scheme: '', opaque: '', user: null, host: '', path: '', omitHost: false, forceQuery: false, rawQuery: '', fragment: '' };
  if (raw === '*') return { ...url, path: '*' };
  let [scheme, rest] = getScheme(raw);
  url.scheme = scheme.toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const question = rest.indexOf('?');
    if (question !== -1) [rest, url.rawQuery] = [rest.slice(0, question), rest.slice(question + 1)];
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') return { ...url, opaque: rest };
    if ((rest.split('/')[0] ?? '').includes(':')) throw new Error('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    Object.assign(url, parseAuthority(authority));
  } else if (url.scheme !== '' && rest.startsWith('/')) {
    url.omitHost = true;
  }
  url.path = unescape(rest, 'path');
  return url;
}

function userString(user: NonNullable<Url['user']>): string {
  return escape(user.username, 'userinfo') + (user.password === undefined ? '' : `:${escape(user.password, 'userinfo')}`);
}

function hostname(host: string): string {
  let name = host;
  const colon = name.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(name.slice(colon))) name = name.slice(0, colon);
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  return name;
}

/** URL.String. */
function formatUrl(url: Url): string {
  let out = url.scheme === '' ? '' : `${url.scheme}:`;
  if (url.opaque !== '') out += url.opaque;
  else {
    if ((url.scheme !== '' || url.host !== '' || url.user !== null) && !(url.omitHost && url.host === '' && url.user === null)) {
      if (url.host !== '' || url.path !== '' || url.user !== null) out += '//';
      if (url.user !== null) out += `${userString(url.user)}@`;
      if (url.host !== '') out += escape(url.host, 'host');
    }
    const path = url.path === '*' ? '*' : escape(url.path, 'path');
    if (path !== '' && path[0] !== '/' && url.host !== '') out += '/';
    if (out === '' && (path.split('/')[0] ?? '').includes(':')) out += './';
    out += path;
  }
  if (url.forceQuery || url.rawQuery !== '') out += `?${url.rawQuery}`;
  if (url.fragment !== '') out += `#${escape(url.fragment, 'fragment')}`;
  return out;
}

function urlParse(raw: string): GoMap {
  let url: Url;
  try {
    url = parseUrl(raw);
  } catch (error) {
    return fail(`unable to parse url: ${(error as Error).message}`);
  }
  return goMap([
    ['scheme', url.scheme],
    ['host', url.host],
    ['hostname', hostname(url.host)],
    ['path', url.path],
    ['query', url.rawQuery],
    ['opaque', url.opaque],
    ['fragment', url.fragment],
    ['userinfo', url.user === null ? '' : userString(url.user)],
  ]);
}

function stringEntry(map: GoMap | null, key: string): string {
  if (map === null || !map.has(key)) return '';
  const value: GoValue = map.get(key)!;
  if (value === null) fail(NIL_POINTER);
  if (typeof value !== 'string') fail(`unable to parse ${key} key, must be of type string, but ${kindOf(value)} found`);
  return value;
}

function urlJoin(map: GoMap | null): string {
  const parts = {
    scheme: stringEntry(map, 'scheme'),
    host: stringEntry(map, 'host'),
    path: stringEntry(map, 'path'),
    rawQuery: stringEntry(map, 'query'),
    opaque: stringEntry(map, 'opaque'),
    fragment: stringEntry(map, 'fragment'),
  };
  const userinfo = stringEntry(map, 'userinfo');
  let user: Url['user'] = null;
  if (userinfo !== '') {
    try {
      user = parseUrl(`proto://${userinfo}@host`).user;
    } catch (error) {
      fail(`unable to parse userinfo in dict: ${(error as Error).message}`);
    }
  }
  return formatUrl({ ...parts, user, omitHost: false, forceQuery: false });
}

export const URL_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['urlParse', goFunction(['string'], urlParse)],
  ['urlJoin', goFunction(['map'], urlJoin)],
]);
