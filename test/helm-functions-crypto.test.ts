import { createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, sign, verify, X509Certificate } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import type { SnippetRow } from './helm-functions-harness.js';
import { compareWithHelm, renderWithSprig } from './helm-functions-harness.js';

/**
 * Sprig's crypto, key, certificate, random and JSON functions: what is deterministic against
 * helm v4.1.4, and the random results by their properties (shape, alphabet, validity).
 */

/** A CA that real helm made (genCA "my-ca" 365), base64 of its PEM certificate and key, as buildCustomCert takes them. */
const HELM_CA_CERT = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURERENDQWZTZ0F3SUJBZ0lSQUpWUFVudW1oRHVjUTFQZFBFTzcrZFF3RFFZSktvWklodmNOQVFFTEJRQXcKRURFT01Bd0dBMVVFQXhNRmJYa3RZMkV3SGhjTk1qWXhNakF4TWpBd016TTBXaGNOTWpjeE1qQXhNakF3TXpNMApXakFRTVE0d0RBWURWUVFERXdWdGVTMWpZVENDQVNJd0RRWUpLb1pJaHZjTkFRRUJCUUFEZ2dFUEFEQ0NBUW9DCmdnRUJBS24rYkhmcS9IUWlrYS9rZTBiWHpxS3JBZGFDRXlaeG5zWFVtL09ZV2RSQ3dQMzZqbk54WkxrYXoyZ0wKSFNrc0ZwS3Z3WTI0NUVuTGZVUVRKRFJIaDllM0ZGWTZwTDZrUXpseVZhVCtVVS9rUlBKZDhaczZGRjQ2ZWl6eAo1TjJFWjdEdTZwMTEvR3gremVtcmMrKzMyQkdXcVcwY0ttTTZyRXFuWmJPYWxOMUxoRVZEUkpsMW9LQ0VuaS9GCmpaeEZyYy9uWlNXNXpsbHFYckJOTlBWRnNTN09QVFZwNm8yMHc2N2FQODcrNlkyeDBLSWFTd005bTZWRmFKWFAKd202N0F6eDBBdCtKK2FDamswUE5iNGNQS2kweDA5YjFuY2lTeVJRaytWcTFxdUlTMG9MNGk0Mkg4Zi9nYU5rawpGY00rWWw1WG5ENVduMnN1S1JlWEVGTVYwYzBDQXdFQUFhTmhNRjh3RGdZRFZSMFBBUUgvQkFRREFnS2tNQjBHCkExVWRKUVFXTUJRR0NDc0dBUVVGQndNQkJnZ3JCZ0VGQlFjREFqQVBCZ05WSFJNQkFmOEVCVEFEQVFIL01CMEcKQTFVZERnUVdCQlNkTXI0dGQ2bmZjdk51S01nU3ozeEFkTEdrMWpBTkJna3Foa2lHOXcwQkFRc0ZBQU9DQVFFQQpXcGE0VjlnVEw0K2cxWkZScVRVZEtIOWVVSDhuZWZJN1c4WFBCdjYwcno1UlAyYlFuRkhSYnpXYndmN0VsWWlXCmQ1Umd2TlNLYStvOE5yNEVKeTY4dEFJRWI3ZkNHb2VkQ3g1c2hTRmN3V3R1TUttUzF0QnBqU09qaC9CSTNOMG8KeWVqUWZjVEVjWnYwSXFwZ3ZDSUxROVdKcXJGV3pIL1hiQk5CMUtFTHVoRFVFb3ZVclorbTU5WG9ISG9RUElMUQpvMVArZnpqSnNYNVJOYnUyeXhOeDVDQWl3akd3aVBQWjNGTUVMSlJ5V3BuckZCQTBwSUthSjlPNjJMUkU4RzFPCkdFbHlnSTIxQTgvVUVlT3VneDFLMU56VklWbWVUczZ3c1VGcmt0alk0M0x2dzBsbFpkb3I5dmdmMlIxclArTHQKaU9WaFNvVTR4VnNTbmJNTE1OOTM0Zz09Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K';
const HELM_CA_KEY = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcEFJQkFBS0NBUUVBcWY1c2QrcjhkQ0tScitSN1J0Zk9vcXNCMW9JVEpuR2V4ZFNiODVoWjFFTEEvZnFPCmMzRmt1UnJQYUFzZEtTd1drcS9CamJqa1NjdDlSQk1rTkVlSDE3Y1VWanFrdnFSRE9YSlZwUDVSVCtSRThsM3gKbXpvVVhqcDZMUEhrM1lSbnNPN3FuWFg4Ykg3TjZhdHo3N2ZZRVphcGJSd3FZenFzU3FkbHM1cVUzVXVFUlVORQptWFdnb0lTZUw4V05uRVd0eitkbEpibk9XV3Blc0UwMDlVV3hMczQ5TlducWpiVERydG8venY3cGpiSFFvaHBMCkF6MmJwVVZvbGMvQ2Jyc0RQSFFDMzRuNW9LT1RRODF2aHc4cUxUSFQxdldkeUpMSkZDVDVXcldxNGhMU2d2aUwKallmeC8rQm8yU1FWd3o1aVhsZWNQbGFmYXk0cEY1Y1FVeFhSelFJREFRQUJBb0lCQUQxbjM5T3ppUTBFZmI3ZApXR0NmVFErNm1SZmM5Y0R4MHdvZ1FsTk1pY3BnY0tsdDdDNHNYRmQzSlV1dWxCS096L3FkelZ0OTJjMEVXaFFRCm5BZmNmT2dCeExGZlRxcGsyTG0wSU5iUVhSdndWNjE3SE83WEhJdHJNVDN5QlJ1MW0rVXdjSVIvbmJhdFdZRmEKZ3k4cEtENDJQNjVmdWJvTmREWWxZTm52Y1cyOEptZTR0U05SQXFDQXoxdVdTTU9xd21mcjJaV3U5VVg2dEt1dApqbGhjN1BMSXZyQWg4SGhzVTVVdGNUZTV1d0Y4Qkd5bG1yMHhzRkRKUXB1ait4YUloM3l4RjRSR1IwdDBlZHRDCnZXcmtDK0VUbHhna0t3YkkrS0VSdXRYbHlEcnVjUm9SNE5DYnBML05BdEpodE1rc2xjRnA4YWt1SUhnV0ZRNzQKRmJNV1Zvc0NnWUVBMUV0Y25MSGxiSnlsMjl2ZGl2L2RmS0g3d0VqUEhmVnRseHZFUml3YkZZK0VDam5taEtSRApxZHE5T2w2ZUdGL2dDNS9XbFE0d3gvM0pvWVAyc3hTUU9HNTZuQUxUL0tJd1NyRjlYcG5nN25uVG0vcnZCUEVNCnF5YWVOaWhJUnJMVUxFU29telhxUUF6dFY2TG96aHBtTzJsUGRTTngxTVBRREtBdGhXSWNYak1DZ1lFQXpQMnQKMzg1ZGx3UGU3d0dKUkZKSW9EckNVeEV5RExQODdJbWRyY0lOcnQ1VkEyTVBLa0pZRlVsbm5hYmtHV3NKTlJlRwpLYVVzeHFham8ycnljc0NZRUxKeVo5NkpCTFpqeUxJdmNjWDFtLzJaZkpiZnpRQ3VZS1grcXF6a1g3emU5VGpDCmRUL0lhcDgzTC9OLzJvdGVESlVWblhkSE0yZVExa28xaVpaMUQvOENnWUVBem1PZDIvRFBYUEpHQlNNUmxTci8KUjBXcm5OcXNFVElqb3Y2cHFKY0VsY2Q2MVA1SmI3YksyWDBBN3BoQ0Z1eE93cjVZUFgwWVM3WWRxbHJESW9MaApXeHQ5TStORCtKNHRXTkNKVThsQjlsYVdOVlNWdnpZaDNOcWtnWDVVRmZlUmNxQWxVdy90ZHV1YWF0TEVobXIvCjdNNkxJeFNjZS84S2F0dm1wWUFtbUNVQ2dZQjVwdTdDRENrMGp1S0ZlcWJvdWVCSjNyVW1NT1UvN3F6aC8wVnAKTWVtRzVvRVRNbjEwZWN6bVRSckZ6NTQ4aTIzNmFReUF1SHFiSlplbFNybTVhaHlVaENJckRFREtZQ2RWbXBGWApkc0NzbzFLc1FxbHNjc1FKclZrMkZzYXRIbHcrc1VHTjdaMVYwVWtpRnVMQVlzY2N0bmtPYXhRQktLd20wQUYzCnRxZWdKd0tCZ1FDa2drdDJ6eG5QSVlVNzBRMlYvNjIzTG1OSGFhTDRHUVYrOWxiR2dyc3h4NlplNjZ2ZVdRbTUKN2sxdnhlbUhBVzhYUUQraHlBYjVvem5QY1lHU3N6L3FXbktWQkF4UlNPSFg0U2dBaFNaMHVUUjVtTHdIZzFkUgo4dVg3cnJKbUlTbTloUnpHQzN0bFFVQjBzS296MExTbWRONlNreGUxWms4S1l2eEdzUHJyR0E9PQotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=';

const CRYPTO: SnippetRow[] = [
  ['hashes', '{{ sha1sum "abc" }}|{{ sha256sum "" }}|{{ sha512sum "héllo" }}|{{ adler32sum "Wikipedia" }}|{{ adler32sum "" }}'],
  ['derivePassword', '{{ derivePassword 1 "long" "password" "user" "example.com" }}|{{ derivePassword 2 "maximum" "pässword" "üser" "site" }}|{{ derivePassword 1 "pin" "p" "u" "s" }}|{{ derivePassword 1 "basic" "p" "u" "s" }}|{{ derivePassword 1 "nope" "p" "u" "s" }}'],
  ['decryptAES', '{{ decryptAES "secretkey" "71fkCnifMo8ZKRtoanX5bA55pJbPDzma7i/plZQ9bfM=" }}|{{ decryptAES "k" "" }}|{{ encryptAES "k" "" }}|{{ decryptAES "secretkey" (encryptAES "secretkey" "round trip") }}'],
  ['decryptAES-bad-base64', '{{ decryptAES "k" "@@@@" }}'],
  ['decryptAES-short', '{{ decryptAES "k" "YWJj" }}'],
  ['decryptAES-partial-block', '{{ decryptAES "k" "MDEyMzQ1Njc4OWFiY2RlZmFiYw==" }}'],
  ['htpasswd-bad-user', '{{ htpasswd "a:b" "x" }}'],
  ['genPrivateKey-unknown', '{{ genPrivateKey "foo" }}'],
  ['genCAWithKey-no-pem', '{{ genCAWithKey "x" 1 "nope" }}'],
  ['genCAWithKey-not-a-key', '{{ genCAWithKey "x" 1 "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n" }}'],
  ['genCAWithKey-unknown-type', '{{ genCAWithKey "x" 1 "-----BEGIN FOO PRIVATE KEY-----\\nAAAA\\n-----END FOO PRIVATE KEY-----\\n" }}'],
  ['genSelfSignedCert-bad-ip', '{{ genSelfSignedCert "x" (list "1.2.3") nil 1 }}'],
  ['genSelfSignedCert-ip-not-string', '{{ genSelfSignedCert "x" (list 1) nil 1 }}'],
  ['genSelfSignedCert-dns-not-string', '{{ genSelfSignedCert "x" nil (list "a" 2) 1 }}'],
  ['buildCustomCert-bad-base64', '{{ buildCustomCert "@" "" }}'],
  ['buildCustomCert-bad-key-base64', '{{ buildCustomCert "" "@" }}'],
  ['buildCustomCert-no-pem', '{{ buildCustomCert "bm9wZQ==" "" }}'],
  ['buildCustomCert', `{{ $ca := buildCustomCert "${HELM_CA_CERT}" "${HELM_CA_KEY}" }}{{ $ca.Cert | sha256sum }} {{ $ca.Key | sha256sum }} {{ typeOf $ca }}`],
  ['rand-empty', '[{{ randAlphaNum 0 }}][{{ randAlpha -1 }}][{{ randNumeric 0 }}][{{ randAscii 0 }}][{{ randBytes 0 }}]'],
  ['getHostByName', '{{ getHostByName "localhost" }}'],
];

const JSON: SnippetRow[] = [
  ['toPrettyJson', '{{ toPrettyJson (dict "b" (list 1 2.5 "x" nil true) "a" (dict) "c" (list)) }}|{{ toPrettyJson "<a&b>" }}|{{ toPrettyJson nil }}|{{ toPrettyJson .Values }}', 'x: {list: [1, {z: 2}]}\nbig: 1000000'],
  ['toRawJson', '{{ toRawJson (dict "html" "<a href=\\"x\\">&</a>" "n" 1.5) }}|{{ mustToRawJson (list) }}|{{ toRawJson 3 }}'],
  ['json-nan', '[{{ toPrettyJson (float64 "nan") }}]'],
  ['mustToPrettyJson-nan', '{{ mustToPrettyJson (list (float64 "inf")) }}'],
  ['toRawJson-nan', '{{ toRawJson (float64 "nan") }}'],
  ['mustFromJson', '{{ mustFromJson "{\\"a\\": [1, 2.5, \\"x\\", null]}" }}|{{ mustFromJson "3" }}|{{ mustFromJson "\\"s\\"" }}|{{ typeOf (mustFromJson "[]") }}'],
  ['mustFromJson-error', '{{ mustFromJson "{bad" }}'],
  ['mustFromJson-empty', '{{ mustFromJson "" }}'],
];

await compareWithHelm('functions-crypto', CRYPTO);
await compareWithHelm('functions-json', JSON);

function output(template: string, values?: string): string {
  const outcome = renderWithSprig(template, values);
  if (outcome.output === undefined) throw new Error(outcome.error);
  return outcome.output;
}

/** A template's output split at `|`, the separator the certificate snippets use. */
const parts = (template: string) => output(template).split('|');

describe('random functions', () => {
  it('randAlphaNum, randAlpha, randNumeric and randAscii give the count asked for, from their alphabets', () => {
    expect(output('{{ randAlphaNum 40 }}')).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(output('{{ randAlpha 40 }}')).toMatch(/^[A-Za-z]{40}$/);
    expect(output('{{ randNumeric 40 }}')).toMatch(/^[0-9]{40}$/);
    expect(output('{{ randAscii 200 }}')).toMatch(/^[\x20-\x7e]{200}$/);
    expect(output('{{ randAlphaNum 16 }}')).not.toBe(output('{{ randAlphaNum 16 }}'));
  });

  it('randBytes is base64 of that many bytes; uuidv4 is a version 4 UUID', () => {
    expect(Buffer.from(output('{{ randBytes 24 }}'), 'base64')).toHaveLength(24);
    expect(output('{{ uuidv4 }}')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('randInt stays in [min, max); shuffle permutes the runes', () => {
    const draws = Array.from({ length: 50 }, () => Number(output('{{ randInt 3 6 }}')));
    expect(draws.every((n) => n >= 3 && n < 6)).toBe(true);
    expect([...output('{{ shuffle "héllo😀" }}')].sort()).toEqual([...'héllo😀'].sort());
  });
});

// bcrypt at cost 10 in JavaScript takes a while on a busy machine.
describe('bcrypt and htpasswd', { timeout: 60_000 }, () => {
  it('hash as Go’s bcrypt does: version 2a, cost 10, a hash of the password', () => {
    const hash = output('{{ bcrypt "s3cret" }}');
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcryptjs.compareSync('s3cret', hash)).toBe(true);
    const [user, entry] = output('{{ htpasswd "admin" "pw" }}').split(':') as [string, string];
    expect(user).toBe('admin');
    expect(bcryptjs.compareSync('pw', entry)).toBe(true);
  });

  it('refuse passwords past 72 bytes, as Go’s bcrypt does', () => {
    expect(output(`{{ bcrypt "${'x'.repeat(73)}" }}`)).toBe('failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes');
  });
});

describe('keys', () => {
  it('genPrivateKey writes each type in Go’s PEM form', { timeout: 120_000 }, () => {
    const expectations: [string, string, string][] = [
      ['rsa', 'RSA PRIVATE KEY', 'rsa'],
      ['ecdsa', 'EC PRIVATE KEY', 'ec'],
      ['ed25519', 'PRIVATE KEY', 'ed25519'],
      ['dsa', 'DSA PRIVATE KEY', 'dsa'],
    ];
    for (const [type, block, keyType] of expectations) {
      const pem = output(`{{ genPrivateKey "${type}" }}`);
      expect(pem.startsWith(`-----BEGIN ${block}-----\n`)).toBe(true);
      expect(pem.endsWith(`-----END ${block}-----\n`)).toBe(true);
      expect(pem.split('\n').every((line) => line.length <= 64)).toBe(true);
      expect(createPrivateKey(pem).asymmetricKeyType).toBe(keyType);
    }
    expect(createPrivateKey(output('{{ genPrivateKey "" }}')).asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('an RSA key is whole: 4096 bits, exponent 65537, and what its public half encrypts or verifies, it decrypts or signed', { timeout: 120_000 }, () => {
    const key = createPrivateKey(output('{{ genPrivateKey "rsa" }}'));
    expect(key.asymmetricKeyDetails).toEqual({ modulusLength: 4096, publicExponent: 65537n });
    const message = Buffer.from('meshready');
    expect(privateDecrypt(key, publicEncrypt(createPublicKey(key), message))).toEqual(message);
    expect(verify('sha256', message, createPublicKey(key), sign('sha256', message, key))).toBe(true);
  });
});

// RSA and DSA key generation takes seconds on a busy machine.
describe('certificates', { timeout: 60_000 }, () => {
  it('genCA: a self-signed CA for the common name, valid for the days given, with its key', () => {
    const [certPem, keyPem] = parts('{{ $ca := genCA "my-ca" 365 }}{{ $ca.Cert }}|{{ $ca.Key }}') as [string, string];
    const cert = new X509Certificate(certPem);
    expect(cert.subject).toBe('CN=my-ca');
    expect(cert.issuer).toBe('CN=my-ca');
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBe(365 * 86_400_000);
    expect(Math.abs(Date.parse(cert.validFrom) - Date.now())).toBeLessThan(60_000);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(createPublicKey(certPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('genSignedCert: signed by the CA, with DNS and IP SANs, not a CA itself', () => {
    const [caPem, certPem, keyPem] = parts(
      '{{ $ca := genCA "ca" 10 }}{{ $c := genSignedCert "svc.example" (list "10.0.0.1" "::1") (list "a.example" "b.example") 30 $ca }}{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}',
    ) as [string, string, string];
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    expect(cert.subject).toBe('CN=svc.example');
    expect(cert.issuer).toBe('CN=ca');
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:a.example, DNS:b.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBe(30 * 86_400_000);
  });

  it('genSignedCert with a CA real helm made, through buildCustomCert', () => {
    const certPem = output(`{{ $ca := buildCustomCert "${HELM_CA_CERT}" "${HELM_CA_KEY}" }}{{ (genSignedCert "leaf" nil (list "leaf.example") 1 $ca).Cert }}`);
    const ca = new X509Certificate(Buffer.from(HELM_CA_CERT, 'base64'));
    const cert = new X509Certificate(certPem);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:leaf.example');
  });

  it('the WithKey forms use the key given, of any type Go signs with', () => {
    const [certPem, keyPem] = parts('{{ $k := genPrivateKey "ecdsa" }}{{ $c := genSelfSignedCertWithKey "ec" nil (list "x") 2 $k }}{{ $c.Cert }}|{{ $k }}') as [string, string];
    const cert = new X509Certificate(certPem);
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    const ed = new X509Certificate(output('{{ (genCAWithKey "édé" 1 (genPrivateKey "ed25519")).Cert }}'));
    expect(ed.subject).toBe('CN=édé');
    expect(ed.verify(ed.publicKey)).toBe(true);
  });

  it('a CA key that does not match the CA certificate is refused, as Go 1.25 refuses it', () => {
    const outcome = renderWithSprig('{{ $a := genCA "a" 1 }}{{ $b := genCA "b" 1 }}{{ $mixed := buildCustomCert (b64enc $a.Cert) (b64enc $b.Key) }}{{ genSignedCert "x" nil nil 1 $mixed }}');
    expect(outcome.error).toMatch(/error calling genSignedCert: error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey$/);
  });

  it('a DSA key cannot sign, as in Go', () => {
    expect(renderWithSprig('{{ genCAWithKey "x" 1 (genPrivateKey "dsa") }}').error).toMatch(/error calling genCAWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer$/);
  });
});
