/**
 * What renders make of texts that the next render of the same chart meets again, kept in
 * this process: a template's parse trees, a rendered document's head. The renders of one
 * chart with its values and each of its ci/ values files, the base and head of a pull
 * request, the next push to it: their templates are mostly the same texts, and their CRDs
 * the same documents. What is kept is never changed by a render (trees and heads are only
 * read), so sharing it changes no render.
 */

import { DigestCache } from '../digest-cache.js';
import type { Head } from './chart/manifests.js';
import { GeneratedKeys } from './functions/certificates.js';
import type { Tree } from './template/parse.js';

/** Parse trees by template name, path and text; in units of template text (a tree holds its text, and is some ten times larger). */
export const TEMPLATE_TREES = new DigestCache<ReadonlyMap<string, Tree>>(4 * 1024 * 1024);

/** Documents' heads (SortManifests' reading) by document text; in documents. */
export const DOCUMENT_HEADS = new DigestCache<Head>(100_000);

/**
 * The keys `genPrivateKey`, `genCA` and the like take in every render for analysis in this
 * process, generated the first time a render asks for them: an analysis reads a render for
 * its resources, never for its keys (findings name resources, fixes edit values and
 * templates), and an RSA key costs a tenth of a second or more to generate. Each render takes
 * them in the order it asks, so two renders of a chart have the same keys. `meshready
 * template` prints its render, so it generates its own, as helm does.
 */
export const ANALYSIS_KEYS = new GeneratedKeys();

/** Forgets every kept tree, head and key: the state of a process that has rendered nothing yet (the bench starts each round so). */
export function forgetKeptRenders(): void {
  TEMPLATE_TREES.clear();
  DOCUMENT_HEADS.clear();
  ANALYSIS_KEYS.clear();
}
