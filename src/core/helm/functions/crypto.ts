import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import type { GoFunction } from '../values.js';
import { fail, goFunction, guardSize } from './define.js';
import { decodeBase64 } from './encoding.js';
import { fromUtf8, utf8Bytes } from './text.js';

/**
 * Sprig's crypto.go: hashes, bcrypt, derivePassword (Master Password's algorithm), AES and
 * the random functions. The certificate and key functions are in certificates.ts.
 */

const hexDigest = (algorithm: string) => (text: string) => createHash(algorithm).update(text, 'utf8').digest('hex');

function adler32(text: string): string {
  let a = 1;
  let b = 0;
  for (const byte of utf8Bytes(text)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** bcrypt.GenerateFromPassword(password, DefaultCost): version 2a, cost 10, at most 72 bytes of password. */
function bcrypt(password: string): string {
  if (utf8Bytes(password).length > 72) return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  const salt = [...randomBytes(22)].map((byte) => BCRYPT_ALPHABET[byte % 64]).join('');
  // The 22nd salt character carries 2 bits only: bcrypt's encoding keeps it in the set ".Oeu".
  const last = '.Oeu'[BCRYPT_ALPHABET.indexOf(salt[21]!) % 4]!;
  return bcryptjs.hashSync(password, `$2a$10$${salt.slice(0, 21)}${last}`);
}

const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** Master Password: scrypt(password, seed ‖ user) keys an HMAC-SHA256 of seed ‖ site ‖ counter, which picks a template and its characters. */
function derivePassword(counterValue: bigint, type: string, password: string, user: string, site: string): string {
  const templates = PASSWORD_TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const salt = Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), lengthPrefixed(user)]);
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 64 * 1024 * 1024 });
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(Number(BigInt.asUintN(32, counterValue)));
  const seed = createHmac('sha256', key).update(Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), lengthPrefixed(site), counter])).digest();
  const template = templates[seed[0]! % templates.length]!;
  return [...template].map((kind, i) => {
    const characters = TEMPLATE_CHARACTERS[kind]!;
    return characters[seed[i + 1]! % characters.length]!;
  }).join('');
}

/** The AES-256 key Sprig makes of a password: its bytes, cut or zero-padded to 32. */
function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  return key;
}

/** AES-256-CBC with a random IV and PKCS#7 padding, base64 of IV ‖ ciphertext. */
function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** Sprig's decryptAES: no check of the padding, Go's panics for input that is no ciphertext. */
function decryptAES(password: string, encoded: string): string {
  if (encoded === '') return '';
  let crypt: Uint8Array;
  try {
    crypt = decodeBase64(utf8Bytes(encoded));
  } catch (error) {
    return fail((error as Error).message);
  }
  // Slicing bytes past their capacity panics in Go's words for slices.
  if (crypt.length < 16) fail(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) fail('crypto/cipher: input not full blocks');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16)).setAutoPadding(false);
  const decrypted = Buffer.concat([decipher.update(body), decipher.final()]);
  if (decrypted.length === 0) fail('runtime error: index out of range [-1]');
  const end = decrypted.length - decrypted[decrypted.length - 1]!;
  if (end < 0) fail(`runtime error: slice bounds out of range [:${end}]`);
  return fromUtf8(decrypted.subarray(0, end));
}

function randBytes(count: bigint): string {
  if (count < 0n) fail('runtime error: makeslice: len out of range');
  guardSize('randBytes', count);
  return randomBytes(Number(count)).toString('base64');
}

export const CRYPTO_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['sha1sum', goFunction(['string'], hexDigest('sha1'))],
  ['sha256sum', goFunction(['string'], hexDigest('sha256'))],
  ['sha512sum', goFunction(['string'], hexDigest('sha512'))],
  ['adler32sum', goFunction(['string'], adler32)],
  ['bcrypt', goFunction(['string'], bcrypt)],
  ['htpasswd', goFunction(['string', 'string'], (user: string, password: string) => (user.includes(':') ? `invalid username: ${user}` : `${user}:${bcrypt(password)}`))],
  ['derivePassword', goFunction(['int', 'string', 'string', 'string', 'string'], derivePassword)],
  ['encryptAES', goFunction(['string', 'string'], encryptAES)],
  ['decryptAES', goFunction(['string', 'string'], decryptAES)],
  ['randBytes', goFunction(['int'], randBytes)],
  ['uuidv4', goFunction([], () => randomUUID())],
]);
