import { posix } from 'node:path';
import { isPrintRune, quoteGo } from '../fmt.js';
import { isGoSpace } from '../yaml/go-text.js';
import type { Metadata } from './chart.js';
import { isValidSemver } from './compatible.js';

/**
 * helm's `Metadata.Validate` (and `Dependency.Validate`, `Maintainer.Validate`): strings
 * sanitized in place as helm does (white space made a space, unprintable runes dropped),
 * then the first problem, as helm words it, or undefined.
 */

const ALIAS_NAME = /^[a-zA-Z0-9_-]+$/;

function sanitize(text: string): string {
  let out = '';
  for (const rune of text) {
    const code = rune.codePointAt(0)!;
    if (isGoSpace(code)) out += ' ';
    else if (isPrintRune(code)) out += rune;
  }
  return out;
}

const invalid = (message: string) => `validation: ${message}`;

export function validateMetadata(metadata: Metadata): string | undefined {
  for (const key of ['name', 'description', 'home', 'icon', 'condition', 'tags', 'appVersion', 'kubeVersion'] as const) metadata[key] = sanitize(metadata[key]);
  metadata.sources = metadata.sources.map(sanitize);
  metadata.keywords = metadata.keywords.map(sanitize);
  if (metadata.apiVersion === '') return invalid('chart.metadata.apiVersion is required');
  if (metadata.name === '') return invalid('chart.metadata.name is required');
  if (metadata.name === '.' || metadata.name === '..') return invalid(`chart.metadata.name ${quoteGo(metadata.name)} is not allowed`);
  if (metadata.name !== goBase(metadata.name)) return invalid(`chart.metadata.name ${quoteGo(metadata.name)} is invalid`);
  if (metadata.version === '') return invalid('chart.metadata.version is required');
  if (!isValidSemver(metadata.version)) return invalid(`chart.metadata.version ${quoteGo(metadata.version)} is invalid`);
  if (!['', 'application', 'library'].includes(metadata.type)) return invalid('chart.metadata.type must be application or library');
  for (const maintainer of metadata.maintainers) {
    if (!maintainer) return invalid('maintainers must not contain empty or null nodes');
    maintainer.name = sanitize(maintainer.name);
    maintainer.email = sanitize(maintainer.email);
    maintainer.url = sanitize(maintainer.url);
  }
  const seen = new Set<string>();
  for (const dependency of metadata.dependencies ?? []) {
    if (!dependency) return invalid('dependencies must not contain empty or null nodes');
    dependency.name = sanitize(dependency.name);
    dependency.version = sanitize(dependency.version);
    dependency.repository = sanitize(dependency.repository);
    dependency.condition = sanitize(dependency.condition);
    dependency.tags = dependency.tags.map(sanitize);
    if (dependency.alias !== '' && !ALIAS_NAME.test(dependency.alias)) return invalid(`dependency ${quoteGo(dependency.name)} has disallowed characters in the alias`);
    const key = dependency.alias !== '' ? dependency.alias : dependency.name;
    if (seen.has(key)) return invalid(`more than one dependency with name or alias ${quoteGo(key)}`);
    seen.add(key);
  }
  return undefined;
}

/** Go's filepath.Base: the last element, trailing slashes dropped ("" is "."). */
function goBase(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : posix.basename(trimmed);
}
