import { gunzipSync } from 'node:zlib';
import { posix } from 'node:path';
import { quoteGo } from '../fmt.js';

/**
 * A chart archive (`.tgz`) read as helm's `loader/archive.LoadArchiveFiles` reads it:
 * gunzipped (node:zlib), then its tar entries read as Go's archive/tar reads them (V7,
 * USTAR with its prefix, PAX `x` records for path and size, GNU long names; checksums
 * checked), each name stripped of its first component and checked, with helm's limits
 * (100 MiB a chart, 5 MiB a file) and their messages. The tar reader is ours — a chart is
 * small and only regular files matter; a library would bring streams and a file system.
 *
 * `budget` bounds what expanding may cost over the whole chart (archives nested in
 * archives count against the same bound), before helm's own limits are reached.
 */

export interface ArchiveFile {
  /** The path inside the chart (first component stripped), `/`-separated. */
  name: string;
  data: Uint8Array;
}

/** What the files of a chart may add up to, across every archive and directory in it. */
export interface ExpansionBudget {
  /** Bytes still allowed (decompressed archives and file data count). */
  bytes: number;
  /** Files still allowed. */
  files: number;
  /** How the bounds are named in an error. */
  readonly names: { bytes: string; files: string };
}

export class BudgetError extends Error {}

/** helm's MaxDecompressedChartSize and MaxDecompressedFileSize. */
export const MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024;
export const MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024;

/** Go's `gzip.ErrHeader` message: helm words the error of a top-level file after it. */
export const GZIP_HEADER_ERROR = 'gzip: invalid header';
const TAR_HEADER_ERROR = 'archive/tar: invalid tar header';
const UNEXPECTED_EOF = 'unexpected EOF';

export class ArchiveError extends Error {}

export function chargeBudget(budget: ExpansionBudget, bytes: number, files: number): void {
  budget.bytes -= bytes;
  budget.files -= files;
  if (budget.bytes < 0) throw new BudgetError(`the chart is larger than its budget allows (${budget.names.bytes})`);
  if (budget.files < 0) throw new BudgetError(`the chart has more files than its budget allows (${budget.names.files})`);
}

/** What Go's zlib-based reader would have said for the error node:zlib gives. */
function gzipErrorMessage(error: Error & { code?: string }): string {
  if (/incorrect header check|unknown compression method|invalid (block type|window size)/.test(error.message) && error.code !== 'Z_BUF_ERROR') return GZIP_HEADER_ERROR;
  if (/incorrect data check|incorrect length check/.test(error.message)) return 'gzip: invalid checksum';
  if (error.code === 'Z_BUF_ERROR' || /unexpected end of file/.test(error.message)) return UNEXPECTED_EOF;
  return 'flate: corrupt input';
}

function gunzip(bytes: Uint8Array, budget: ExpansionBudget): Uint8Array {
  // Go's gzip.NewReader reads the header first: too short or the wrong magic is ErrHeader.
  if (bytes.length < 10) throw new ArchiveError(bytes.length === 0 ? 'EOF' : UNEXPECTED_EOF);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 8) throw new ArchiveError(GZIP_HEADER_ERROR);
  const limit = Math.max(0, Math.min(budget.bytes, MAX_DECOMPRESSED_CHART_SIZE + 1024 * 1024));
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(1, limit) });
  } catch (error) {
    const failure = error as Error & { code?: string };
    if (failure.code === 'ERR_BUFFER_TOO_LARGE') {
      if (limit >= budget.bytes) throw new BudgetError(`an archive in the chart expands beyond its budget (${budget.names.bytes})`);
      throw new ArchiveError(`decompressed chart is larger than the maximum size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    }
    throw new ArchiveError(gzipErrorMessage(failure));
  }
}

const BLOCK = 512;
const decoder = new TextDecoder();

/** Bytes up to the first NUL, as Go's `parseString` reads a header field. */
function cString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return decoder.decode(block.subarray(start, end));
}

const cStringOf = (data: Uint8Array) => cString(data, 0, data.length);

/** Go's `parseNumeric`: base-256 when the high bit is set, else octal padded with spaces/NULs. */
function numeric(block: Uint8Array, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if (field.length > 0 && (field[0]! & 0x80) !== 0) {
    const negative = (field[0]! & 0x40) !== 0;
    let value = 0n;
    for (let i = 0; i < field.length; i++) {
      let byte = negative ? field[i]! ^ 0xff : field[i]!;
      if (i === 0) byte &= 0x7f;
      if (value >> 56n > 0n) throw new ArchiveError(TAR_HEADER_ERROR);
      value = (value << 8n) | BigInt(byte);
    }
    if (value >> 63n > 0n) throw new ArchiveError(TAR_HEADER_ERROR);
    return Number(negative ? -value - 1n : value);
  }
  let first = 0;
  let last = field.length;
  while (first < last && (field[first] === 0x20 || field[first] === 0)) first++;
  while (last > first && (field[last - 1] === 0x20 || field[last - 1] === 0)) last--;
  if (first === last) return 0;
  const text = cString(field, first, last - first);
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError(TAR_HEADER_ERROR);
  const value = BigInt(`0o${text}`);
  if (value > 0xffffffffffffffffn) throw new ArchiveError(TAR_HEADER_ERROR);
  return Number(BigInt.asIntN(64, value));
}

/** Go's block.getFormat: the checksum (unsigned or signed) must hold; then the magic tells the format. */
function headerFormat(block: Uint8Array): 'v7' | 'ustar' | 'star' | 'gnu' | undefined {
  let stored: number;
  try {
    stored = numeric(block, 148, 8);
  } catch {
    return undefined;
  }
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  if (stored !== unsigned && stored !== signed) return undefined;
  const magic = decoder.decode(block.subarray(257, 263));
  const version = decoder.decode(block.subarray(263, 265));
  if (magic === 'ustar\0' && decoder.decode(block.subarray(508, 512)) === 'tar\0') return 'star';
  if (magic === 'ustar\0') return 'ustar';
  if (magic === 'ustar ' && version === ' \0') return 'gnu';
  return 'v7';
}

interface TarHeader {
  name: string;
  typeflag: string;
  size: number;
  mode: number;
}

const HEADER_ONLY_TYPES = new Set(['1', '2', '3', '4', '5', '6']);

class TarReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Reads `length` bytes; a short read is Go's io.ErrUnexpectedEOF (io.EOF when nothing was left). */
  private take(length: number, eofOkay: boolean): Uint8Array | undefined {
    if (this.at >= this.bytes.length && eofOkay) return undefined;
    if (this.at + length > this.bytes.length) throw new ArchiveError(UNEXPECTED_EOF);
    const chunk = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return chunk;
  }

  private readHeader(): TarHeader | undefined {
    const block = this.take(BLOCK, true);
    if (!block) return undefined;
    if (block.every((byte) => byte === 0)) {
      const second = this.take(BLOCK, true);
      if (!second || second.every((byte) => byte === 0)) return undefined;
      throw new ArchiveError(TAR_HEADER_ERROR);
    }
    const format = headerFormat(block);
    if (!format) throw new ArchiveError(TAR_HEADER_ERROR);
    let name = cString(block, 0, 100);
    const header: TarHeader = { name, typeflag: String.fromCharCode(block[156]!), size: numeric(block, 124, 12), mode: numeric(block, 100, 8) };
    // Go parses every numeric field: one that does not parse makes the header invalid.
    for (const [start, length] of [[108, 8], [116, 8], [136, 12]] as const) numeric(block, start, length);
    if (format !== 'v7') for (const [start, length] of [[329, 8], [337, 8]] as const) numeric(block, start, length);
    if (format === 'ustar' || format === 'star') {
      const prefix = cString(block, 345, format === 'star' ? 131 : 155);
      if (prefix !== '') name = `${prefix}/${name}`;
    }
    header.name = name;
    return header;
  }

  /** The data of an entry: a header-only type has none whatever its size says. */
  private data(header: TarHeader): Uint8Array {
    const length = HEADER_ONLY_TYPES.has(header.typeflag) ? 0 : header.size;
    if (length < 0) throw new ArchiveError(TAR_HEADER_ERROR);
    const data = this.take(length, false) ?? new Uint8Array();
    // Missing padding at the very end is the end of the archive, as in Go.
    this.at = Math.min(this.bytes.length, this.at + ((BLOCK - (length % BLOCK)) % BLOCK));
    return data;
  }

  /** The next entry as Go's Reader.Next gives it (PAX and GNU long-name records folded in); undefined at the end. */
  next(): { header: TarHeader; data: Uint8Array } | undefined {
    let pax: Map<string, string> | undefined;
    let longName = '';
    for (;;) {
      const header = this.readHeader();
      if (!header) return undefined;
      switch (header.typeflag) {
        case 'x':
        case 'g':
          pax = parsePax(this.data(header));
          if (header.typeflag === 'g') return { header, data: new Uint8Array() };
          continue;
        case 'L':
          longName = cStringOf(this.data(header));
          continue;
        case 'K':
          this.data(header);
          continue;
        default: {
          const path = pax?.get('path');
          if (path !== undefined) header.name = path;
          const size = pax?.get('size');
          if (size !== undefined) {
            if (!/^[+-]?\d+$/.test(size)) throw new ArchiveError(TAR_HEADER_ERROR);
            header.size = Number(size);
          }
          if (longName !== '') header.name = longName;
          if (header.typeflag === '\0') header.typeflag = header.name.endsWith('/') ? '5' : '0';
          return { header, data: this.data(header) };
        }
      }
    }
  }
}

/** PAX records, `"%d %s=%s\n"` each; anything malformed is Go's ErrHeader. */
function parsePax(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let rest = Buffer.from(data);
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    if (space === -1) throw new ArchiveError(TAR_HEADER_ERROR);
    const lengthText = rest.subarray(0, space).toString('latin1');
    const length = /^\d+$/.test(lengthText) ? Number(lengthText) : NaN;
    if (!(length >= 5) || rest.length < length || rest[length - 1] !== 0x0a) throw new ArchiveError(TAR_HEADER_ERROR);
    const record = rest.subarray(space + 1, length - 1);
    const equals = record.indexOf(0x3d);
    if (equals === -1) throw new ArchiveError(TAR_HEADER_ERROR);
    const key = record.subarray(0, equals).toString('utf8');
    const value = record.subarray(equals + 1).toString('utf8');
    if (key === '' || key.includes('=') || ((key === 'path' || key === 'linkpath' || key === 'uname' || key === 'gname') && value.includes('\0'))) throw new ArchiveError(TAR_HEADER_ERROR);
    records.set(key, value);
    rest = rest.subarray(length);
  }
  return records;
}

const DRIVE_PATH = /^[a-zA-Z]:\//;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function withoutBom(data: Uint8Array): Uint8Array {
  return data[0] === UTF8_BOM[0] && data[1] === UTF8_BOM[1] && data[2] === UTF8_BOM[2] ? data.subarray(3) : data;
}

function isDirectory(header: TarHeader): boolean {
  return header.typeflag === '5' || (header.mode & ~0o7777) === 0o40000;
}

/** The files of a chart archive, with helm's checks and errors (throws ArchiveError or BudgetError). */
export function loadArchiveFiles(archive: Uint8Array, budget: ExpansionBudget): ArchiveFile[] {
  const tar = new TarReader(gunzip(archive, budget));
  const files: ArchiveFile[] = [];
  let remaining = MAX_DECOMPRESSED_CHART_SIZE;
  for (;;) {
    const entry = tar.next();
    if (!entry) break;
    const { header } = entry;
    if (isDirectory(header) || header.typeflag === 'g' || header.typeflag === 'x') continue;
    const delimiter = header.name.includes('\\') ? '\\' : '/';
    const parts = header.name.split(delimiter);
    let name = parts.slice(1).join(delimiter).split(delimiter).join('/');
    if (name.startsWith('/')) throw new ArchiveError('chart illegally contains absolute paths');
    name = posix.normalize(name);
    if (name.endsWith('/') && name !== '/') name = name.slice(0, -1);
    if (name === '.' || name === '') throw new ArchiveError(`chart illegally contains content outside the base directory: ${quoteGo(header.name)}`);
    if (name.startsWith('..')) throw new ArchiveError('chart illegally references parent directory');
    if (DRIVE_PATH.test(name)) throw new ArchiveError('chart contains illegally named files');
    if (parts[0] === 'Chart.yaml') throw new ArchiveError('chart yaml not in base directory');
    if (header.size > remaining) throw new ArchiveError(`decompressed chart is larger than the maximum size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    if (header.size > MAX_DECOMPRESSED_FILE_SIZE) throw new ArchiveError(`decompressed chart file ${quoteGo(header.name)} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`);
    const written = Math.min(entry.data.length, remaining);
    remaining -= written;
    if (written < header.size || remaining <= 0) throw new ArchiveError(`decompressed chart is larger than the maximum size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    chargeBudget(budget, 0, 1);
    files.push({ name, data: withoutBom(entry.data) });
  }
  if (files.length === 0) throw new ArchiveError('no files in chart archive');
  return files;
}

/** http.DetectContentType's verdict on the bytes that are not gzip, for helm's message (the types a chart file plausibly is). */
function contentType(bytes: Uint8Array): string {
  // helm sniffs a 512-byte buffer: a shorter file leaves NULs in it, which read as binary.
  const head = new Uint8Array(512);
  head.set(bytes.subarray(0, 512));
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) return 'application/zip';
  if (head[0] === 0xfe && head[1] === 0xff) return 'text/plain; charset=utf-16be';
  if (head[0] === 0xff && head[1] === 0xfe) return 'text/plain; charset=utf-16le';
  if (head.some((byte) => byte <= 0x08 || byte === 0x0b || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f))) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

/** helm's EnsureArchive for a chart given as a file: it must start as gzip does. */
export function ensureArchive(name: string, bytes: Uint8Array): void {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 8) return;
  if (name.endsWith('.yml') || name.endsWith('.yaml')) throw new ArchiveError(`file '${name}' seems to be a YAML file, but expected a gzipped archive`);
  throw new ArchiveError(`file '${name}' does not appear to be a gzipped archive; got '${contentType(bytes)}'`);
}
