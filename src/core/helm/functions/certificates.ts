import type { KeyObject } from 'node:crypto';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Time,
  Validity,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import type { GoFunction, GoValue } from '../values.js';
import { GoStruct } from '../values.js';
import { formatValue, goTypeName } from '../fmt.js';
import { currentTime } from './clock.js';
import { fail, goFunction, wrongType } from './define.js';
import { decodeBase64 } from './encoding.js';
import { fromUtf8, utf8Bytes } from './text.js';

/**
 * Sprig's key and certificate functions: real keys (Node's crypto) and X.509 certificates
 * built as Go's x509.CreateCertificate builds them (@peculiar/asn1-x509 encodes the DER):
 * a random 128-bit serial, CN-only subject, the issuer copied from the CA, key usage,
 * server and client auth, basic constraints, a subject key id (truncated SHA-256 of the
 * public key, Go 1.25's rule) on CAs, the CA's key id as authority key id, DNS then IP
 * SANs. Results are Sprig's `certificate` struct: `.Cert` and `.Key`, PEM.
 */

const CERTIFICATE_TYPE = 'sprig.certificate';

function certificate(cert: string, key: string): GoStruct {
  return new GoStruct(
    CERTIFICATE_TYPE,
    new Map([
      ['Cert', cert],
      ['Key', key],
    ]),
  );
}

function pem(type: string, der: Uint8Array): string {
  const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${type}-----\n${body}${body.endsWith('\n') || body === '' ? '' : '\n'}-----END ${type}-----\n`;
}

/** encoding/pem's Decode: the first block, its type and bytes. */
function decodePem(text: string): { type: string; bytes: Buffer } | undefined {
  const match = /-----BEGIN ([^\n-]*)-----\r?\n((?:[A-Za-z0-9+/=\s]|[A-Za-z-]+:[^\n]*\n)*?)-----END \1-----/.exec(text);
  if (!match) return undefined;
  return { type: match[1]!, bytes: Buffer.from(match[2]!.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, ''), 'base64') };
}

// DER, as much of it as a DSA key needs.
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const derTlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);

/** A non-negative integer's DER content: big-endian, minimal, a 0 first when the top bit is set. */
function integerBytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

const derInteger = (value: bigint) => derTlv(0x02, integerBytes(value));

/** The elements of a DER SEQUENCE (or the content of any constructed value). */
function derElements(der: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < der.length) {
    let length = der[at + 1]!;
    let header = 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = Number(BigInt(`0x${der.subarray(at + 2, at + 2 + count).toString('hex')}`));
      header += count;
    }
    out.push(der.subarray(at, at + header + length));
    at += header + length;
  }
  return out;
}

/** The content of one DER element. */
function derContent(tlv: Buffer): Buffer {
  const first = tlv[1]!;
  return tlv.subarray(first & 0x80 ? 2 + (first & 0x7f) : 2);
}

const derIntegerValue = (tlv: Buffer) => BigInt(`0x${derContent(tlv).toString('hex') || '0'}`);

/** Sprig's DSAKeyFormat (OpenSSL's traditional DSA key): version 0, P, Q, G, Y, X. */
function dsaPrivateKeyDer(key: KeyObject): Buffer {
  const [, algorithm, privateOctets] = derElements(derContent(key.export({ type: 'pkcs8', format: 'der' })));
  const [, parameters] = derElements(derContent(algorithm!));
  const [p, q, g] = derElements(derContent(parameters!)).map(derIntegerValue) as [bigint, bigint, bigint];
  const x = derIntegerValue(derElements(derContent(privateOctets!))[0]!);
  const [, publicBits] = derElements(derContent(createPublicKey(key).export({ type: 'spki', format: 'der' })));
  const y = derIntegerValue(derElements(derContent(publicBits!).subarray(1))[0]!);
  return derTlv(0x30, Buffer.concat([derInteger(0n), ...[p, q, g, y, x].map(derInteger)]));
}

/** pemBlockForKey: PKCS#1 for RSA, SEC 1 for ECDSA, the traditional format for DSA, PKCS#8 otherwise. */
function keyPem(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return key.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'ec':
      return key.export({ type: 'sec1', format: 'pem' }) as string;
    case 'dsa':
      return pem('DSA PRIVATE KEY', dsaPrivateKeyDer(key));
    default:
      return key.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
}

/**
 * Keys generated once and handed out again, in the order they were asked for, to later
 * renders that are read for their resources, never for their keys (the analysis': see
 * ANALYSIS_KEYS in render-cache.ts): an RSA key takes a tenth of a second or more to
 * generate. Each render takes them from its own `cursor`; past the keys there are, a
 * render generates more, and they are kept too.
 */
export class GeneratedKeys {
  private readonly keys = new Map<string, KeyObject[]>();

  cursor(): (kind: string, generate: () => KeyObject) => KeyObject {
    const taken = new Map<string, number>();
    return (kind, generate) => {
      const list = this.keys.get(kind) ?? [];
      this.keys.set(kind, list);
      const index = taken.get(kind) ?? 0;
      taken.set(kind, index + 1);
      if (index === list.length) list.push(generate());
      return list[index]!;
    };
  }

  clear(): void {
    this.keys.clear();
  }
}

let takeKey: ((kind: string, generate: () => KeyObject) => KeyObject) | undefined;

/** Runs `render` with the key generators taking their keys from `keys` (the functions are module-wide; a render is one synchronous call). */
export function withGeneratedKeys<T>(keys: GeneratedKeys, render: () => T): T {
  const outer = takeKey;
  takeKey = keys.cursor();
  try {
    return render();
  } finally {
    takeKey = outer;
  }
}

function generated(kind: string, generate: () => KeyObject): KeyObject {
  return takeKey ? takeKey(kind, generate) : generate();
}

function generatePrivateKey(type: string): string {
  switch (type) {
    case '':
    case 'rsa':
      return keyPem(generated('rsa4096', () => generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey));
    case 'dsa':
      return keyPem(generated('dsa', () => generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey));
    case 'ecdsa':
      return keyPem(generated('ecdsa', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));
    case 'ed25519':
      return keyPem(generated('ed25519', () => generateKeyPairSync('ed25519').privateKey));
    default:
      return `Unknown type ${type}`;
  }
}

class KeyError extends Error {}

/** Sprig's parsePrivateKeyPEM, with its error texts (the x509 parser's own reasons are Node's words). */
function parsePrivateKeyPem(text: string): KeyObject {
  const block = decodePem(text);
  if (!block) throw new KeyError('no PEM data in input');
  const parse = (prefix: string, type: 'pkcs8' | 'pkcs1' | 'sec1' | undefined) => {
    try {
      return type === undefined ? createPrivateKey({ key: text, format: 'pem' }) : createPrivateKey({ key: block.bytes, format: 'der', type });
    } catch (error) {
      throw new KeyError(`${prefix}: ${(error as Error).message}`);
    }
  };
  if (block.type === 'PRIVATE KEY') return parse('decoding PEM as PKCS#8', 'pkcs8');
  if (!block.type.endsWith(' PRIVATE KEY')) throw new KeyError(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case 'RSA':
      return parse('parsing RSA private key from PEM', 'pkcs1');
    case 'EC':
      return parse('parsing EC private key from PEM', 'sec1');
    case 'DSA':
      return parse('parsing DSA private key from PEM', undefined);
    default:
      throw new KeyError(`invalid private key type ${block.type}`);
  }
}

/** Go's net.ParseIP, as the 4 or 16 bytes x509 writes (an IPv4-mapped address as 4). */
function ipBytes(text: string): Buffer | undefined {
  const v4 = (part: string) => {
    const octets = part.split('.');
    if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o) && Number(o) < 256)) return undefined;
    return Buffer.from(octets.map(Number));
  };
  if (!text.includes(':')) return v4(text);
  let body = text;
  let tail: Buffer = Buffer.alloc(0);
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const embedded = v4(body.slice(lastColon + 1));
    if (!embedded) return undefined;
    tail = embedded;
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), 2 * i));
  if (tail.length) tail.copy(bytes, 12);
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.subarray(12) : bytes;
}

function ipString(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

function listOfStrings(values: GoValue, describe: (value: GoValue) => string): string[] {
  if (values === null) return [];
  if (!Array.isArray(values)) return wrongType('[]interface {}', goTypeName(values));
  return values.map((value) => (typeof value === 'string' ? value : fail(describe(value))));
}

/** Go's pkix.Name for a common name: a PrintableString when the text allows it, else UTF8String. */
function commonName(cn: string): Name {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(cn);
  const value = printable ? new AttributeValue({ printableString: cn }) : new AttributeValue({ utf8String: cn });
  return cn === '' ? new Name([]) : new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: '2.5.4.3', value })])]);
}

function goTime(date: Date): Time {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? new Time({ utcTime: date }) : new Time({ generalTime: date });
}

interface Signer {
  key: KeyObject;
  algorithm: AlgorithmIdentifier;
  hash: string | null;
}

function signerFor(key: KeyObject): Signer {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { key, algorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: null }), hash: 'sha256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const [oid, hash] = curve === 'secp384r1' ? ['1.2.840.10045.4.3.3', 'sha384'] : curve === 'secp521r1' ? ['1.2.840.10045.4.3.4', 'sha512'] : ['1.2.840.10045.4.3.2', 'sha256'];
      return { key, algorithm: new AlgorithmIdentifier({ algorithm: oid! }), hash: hash! };
    }
    case 'ed25519':
      return { key, algorithm: new AlgorithmIdentifier({ algorithm: '1.3.101.112' }), hash: null };
    default:
      throw new KeyError('x509: certificate private key does not implement crypto.Signer');
  }
}

function publicKeyInfo(key: KeyObject): SubjectPublicKeyInfo {
  if (key.asymmetricKeyType === 'dsa') throw new KeyError('x509: unsupported public key type: *dsa.PublicKey');
  return AsnConvert.parse(createPublicKey(key).export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
}

interface Template {
  cn: string;
  ips: Buffer[];
  dnsNames: string[];
  daysValid: bigint;
  isCA: boolean;
}

/** getBaseCertTemplate's checks: IPs and DNS names must be strings, IPs must parse. */
function template(cn: string, ips: GoValue, dns: GoValue, daysValid: bigint, isCA = false): Template {
  const ipTexts = listOfStrings(ips, (ip) => `error parsing ip: ${formatValue(ip)} is not a string`);
  const parsedIps = ipTexts.map((text) => ipBytes(text) ?? fail(`error parsing ip: ${text}`));
  const dnsNames = listOfStrings(dns, (name) => `error processing alternate dns name: ${formatValue(name)} is not a string`);
  return { cn, ips: parsedIps, dnsNames, daysValid, isCA };
}

interface Issuer {
  name: Name;
  keyId: ArrayBuffer | undefined;
  publicKey: SubjectPublicKeyInfo;
}

function extension(id: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** x509.CreateCertificate for Sprig's templates. */
function createCertificate(spec: Template, subjectKey: KeyObject, signingKey: KeyObject, issuer: Issuer | undefined): string {
  const signer = signerFor(signingKey);
  const subjectPublicKeyInfo = publicKeyInfo(subjectKey);
  const signerPublic = publicKeyInfo(signingKey);
  if (issuer && Buffer.compare(Buffer.from(AsnConvert.serialize(issuer.publicKey)), Buffer.from(AsnConvert.serialize(signerPublic))) !== 0) {
    throw new KeyError("x509: provided PrivateKey doesn't match parent's PublicKey");
  }
  const now = new Date(Math.floor(currentTime().getTime() / 1000) * 1000);
  const notAfter = new Date(now.getTime() + Number(spec.daysValid) * 86_400_000);
  const serial = integerBytes(BigInt(`0x${randomBytes(16).toString('hex')}`));
  const subject = commonName(spec.cn);
  const issuerName = issuer?.name ?? subject;
  const usage = KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment | (spec.isCA ? KeyUsageFlags.keyCertSign : 0);
  const extensions = [
    extension(id_ce_keyUsage, true, new KeyUsage(usage)),
    extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])),
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: spec.isCA })),
  ];
  if (spec.isCA) {
    const keyId = createHash('sha256').update(Buffer.from(subjectPublicKeyInfo.subjectPublicKey)).digest().subarray(0, 20);
    extensions.push(extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId)));
  }
  const sameName = Buffer.compare(Buffer.from(AsnConvert.serialize(issuerName)), Buffer.from(AsnConvert.serialize(subject))) === 0;
  if (issuer?.keyId && !sameName) extensions.push(extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new OctetString(issuer.keyId) })));
  const names = [...spec.dnsNames.map((dNSName) => new GeneralName({ dNSName })), ...spec.ips.map((ip) => new GeneralName({ iPAddress: ipString(ip) }))];
  if (names.length > 0) extensions.push(extension(id_ce_subjectAltName, spec.cn === '', new SubjectAlternativeName(names)));
  const tbs = new TBSCertificate({
    version: 2,
    serialNumber: Uint8Array.from(serial).buffer,
    signature: signer.algorithm,
    issuer: issuerName,
    validity: new Validity({ notBefore: now, notAfter }),
    subject,
    subjectPublicKeyInfo,
    extensions: new Extensions(extensions),
  });
  tbs.validity.notBefore = goTime(now);
  tbs.validity.notAfter = goTime(notAfter);
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign(signer.hash, tbsDer, signer.key);
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: signer.algorithm, signatureValue: new Uint8Array(signature).buffer });
  return pem('CERTIFICATE', new Uint8Array(AsnConvert.serialize(cert)));
}

function issued(spec: Template, subjectKey: KeyObject, signingKey: KeyObject, issuer: Issuer | undefined): GoStruct {
  try {
    return certificate(createCertificate(spec, subjectKey, signingKey, issuer), keyPem(subjectKey));
  } catch (error) {
    if (error instanceof KeyError) return fail(`error creating certificate: ${error.message}`);
    throw error;
  }
}

const rsa2048 = () => generated('rsa2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

function withKey(privatePem: string): KeyObject {
  try {
    return parsePrivateKeyPem(privatePem);
  } catch (error) {
    if (error instanceof KeyError) return fail(`parsing private key: ${error.message}`);
    throw error;
  }
}

/** The CA a signed certificate names: its subject and key id, from the CA's PEM; and its key. */
function caOf(ca: GoValue): { issuer: Issuer; key: KeyObject } {
  if (!(ca instanceof GoStruct) || ca.typeName !== CERTIFICATE_TYPE) return wrongType('sprig.certificate', goTypeName(ca));
  const block = decodePem(String(ca.fields.get('Cert')));
  if (!block) return fail('unable to decode certificate');
  let parsed: Certificate;
  try {
    new X509Certificate(block.bytes);
    parsed = AsnConvert.parse(block.bytes, Certificate);
  } catch (error) {
    return fail(`error parsing certificate: decodedSignerCert.Bytes: ${(error as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = parsePrivateKeyPem(String(ca.fields.get('Key')));
  } catch (error) {
    return fail(`error parsing private key: ${(error as Error).message}`);
  }
  const keyId = parsed.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  return {
    issuer: {
      name: parsed.tbsCertificate.subject,
      keyId: keyId ? AsnConvert.parse(keyId.extnValue, SubjectKeyIdentifier).buffer : undefined,
      publicKey: parsed.tbsCertificate.subjectPublicKeyInfo,
    },
    key,
  };
}

function buildCustomCert(certBase64: string, keyBase64: string): GoStruct {
  const decode = (text: string, what: string) => {
    try {
      return fromUtf8(decodeBase64(utf8Bytes(text)));
    } catch {
      return fail(`unable to decode base64 ${what}`);
    }
  };
  const cert = decode(certBase64, 'certificate');
  const key = decode(keyBase64, 'private key');
  const block = decodePem(cert);
  if (!block) fail('unable to decode certificate');
  try {
    new X509Certificate(block.bytes);
  } catch (error) {
    fail(`error parsing certificate: decodedCert.Bytes: ${(error as Error).message}`);
  }
  try {
    parsePrivateKeyPem(key);
  } catch (error) {
    fail(`error parsing private key: ${(error as Error).message}`);
  }
  return certificate(cert, key);
}

export const CERTIFICATE_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['genPrivateKey', goFunction(['string'], generatePrivateKey)],
  ['buildCustomCert', goFunction(['string', 'string'], buildCustomCert)],
  [
    'genCA',
    goFunction(['string', 'int'], (cn: string, days: bigint) => {
      const key = rsa2048();
      return issued(template(cn, null, null, days, true), key, key, undefined);
    }),
  ],
  [
    'genCAWithKey',
    goFunction(['string', 'int', 'string'], (cn: string, days: bigint, privatePem: string) => {
      const key = withKey(privatePem);
      return issued(template(cn, null, null, days, true), key, key, undefined);
    }),
  ],
  [
    'genSelfSignedCert',
    goFunction(['string', 'slice', 'slice', 'int'], (cn: string, ips: GoValue, dns: GoValue, days: bigint) => {
      const key = rsa2048();
      return issued(template(cn, ips, dns, days), key, key, undefined);
    }),
  ],
  [
    'genSelfSignedCertWithKey',
    goFunction(['string', 'slice', 'slice', 'int', 'string'], (cn: string, ips: GoValue, dns: GoValue, days: bigint, privatePem: string) => {
      const key = withKey(privatePem);
      return issued(template(cn, ips, dns, days), key, key, undefined);
    }),
  ],
  [
    'genSignedCert',
    goFunction(['string', 'slice', 'slice', 'int', 'any'], (cn: string, ips: GoValue, dns: GoValue, days: bigint, ca: GoValue) => {
      const key = rsa2048();
      const signer = caOf(ca);
      return issued(template(cn, ips, dns, days), key, signer.key, signer.issuer);
    }),
  ],
  [
    'genSignedCertWithKey',
    goFunction(['string', 'slice', 'slice', 'int', 'any', 'string'], (cn: string, ips: GoValue, dns: GoValue, days: bigint, ca: GoValue, privatePem: string) => {
      const key = withKey(privatePem);
      const signer = caOf(ca);
      return issued(template(cn, ips, dns, days), key, signer.key, signer.issuer);
    }),
  ],
]);
