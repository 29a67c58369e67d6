import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { buildClientSchema, parse as parseGraphql, validate as validateGraphql } from 'graphql';
import type { GraphQLSchema, IntrospectionQuery } from 'graphql';
import type { RecordedRequest } from '../../src/demo/fake-github.js';
import { ROOT } from '../helpers.js';

interface Parameter {
  $ref?: string;
  name?: string;
  in?: string;
}

interface Operation {
  requestBody?: { content?: Record<string, unknown> };
  parameters?: Parameter[];
  responses?: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
}

/**
 * Checks requests against GitHub's own OpenAPI description (@octokit/openapi): the
 * endpoint must exist and the body must fit its schema. Review comment sides are checked
 * by hand: the description does not restrict them.
 */
export class GitHubContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly routes: Route[] = [];
  private readonly validators = new Map<string, ValidateFunction | null>();
  private readonly spec: { paths: Record<string, Record<string, Operation>>; components: { parameters: Record<string, Parameter> } };

  constructor() {
    this.spec = withTypelessNullables(JSON.parse(readFileSync(join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json'), 'utf8')));
    this.ajv.addSchema(this.spec, 'github');
    for (const [template, operations] of Object.entries(this.spec.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(operations)) this.routes.push({ method: method.toUpperCase(), template, pattern });
    }
    // Literal segments before parameters: /check-runs/{id} before /{anything}/{id}.
    this.routes.sort((a, b) => a.template.split('{').length - b.template.split('{').length || b.template.length - a.template.length);
  }

  private validatorFor(route: Route): ValidateFunction | null {
    const key = `${route.method} ${route.template}`;
    if (!this.validators.has(key)) {
      const operation = this.spec.paths[route.template]![route.method.toLowerCase()]!;
      const content = operation.requestBody?.content;
      const mediaType = content ? Object.keys(content).find((type) => type.includes('json')) : undefined;
      const pointer = ['paths', route.template, route.method.toLowerCase(), 'requestBody', 'content', mediaType ?? '', 'schema'];
      this.validators.set(key, mediaType ? this.ajv.compile({ $ref: `github#/${jsonPointer(pointer)}` }) : null);
    }
    return this.validators.get(key)!;
  }

  private responseValidator(route: Route, status: number): ValidateFunction | null {
    const key = `${route.method} ${route.template} ${status}`;
    if (!this.validators.has(key)) {
      const response = this.spec.paths[route.template]![route.method.toLowerCase()]!.responses?.[String(status)];
      // A shared response (`#/components/responses/not_found`) is where its $ref points.
      const at = response?.$ref ? response.$ref.slice(2).split('/') : ['paths', route.template, route.method.toLowerCase(), 'responses', String(status)];
      const resolved = response?.$ref ? (at.reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], this.spec) as typeof response) : response;
      const json = resolved?.content?.['application/json'] !== undefined;
      this.validators.set(key, json ? this.ajv.compile({ $ref: `github#/${jsonPointer([...at, 'content', 'application/json', 'schema'])}` }) : null);
    }
    return this.validators.get(key)!;
  }

  /**
   * What is wrong with an answer the fake gave: a status GitHub documents for the endpoint,
   * and a body that fits GitHub's schema for it. Holds the fake itself to the contract.
   */
  checkAnswer(request: RecordedRequest, answer: { status: number; body: unknown }): string[] {
    const path = request.path.split('?')[0]!;
    const label = `${request.method} ${path} -> ${answer.status}`;
    const route = this.routes.find((candidate) => candidate.method === request.method && candidate.pattern.test(path));
    if (!route) return [`${label}: no such endpoint in GitHub's API`];
    if (!this.spec.paths[route.template]![route.method.toLowerCase()]!.responses?.[String(answer.status)]) return [`${label}: GitHub documents no such answer`];
    const validate = this.responseValidator(route, answer.status);
    return validate && !validate(answer.body) ? [`${label}: ${this.ajv.errorsText(validate.errors)}`] : [];
  }

  /** What is wrong with a request; empty when GitHub would take it. */
  check(request: RecordedRequest): string[] {
    const path = request.path.split('?')[0]!;
    const label = `${request.method} ${path}`;
    if (request.method === 'POST' && path === '/graphql') {
      const body = request.body as { query?: unknown; variables?: unknown };
      if (typeof body?.query !== 'string') return [`${label}: no query`];
      return this.graphqlProblems(body.query).map((problem) => `${label}: ${problem}`);
    }
    const route = this.routes.find((candidate) => candidate.method === request.method && candidate.pattern.test(path));
    if (!route) return [`${label}: no such endpoint in GitHub's API`];
    const problems: string[] = [];
    const operation = this.spec.paths[route.template]![route.method.toLowerCase()]!;
    const known = new Set(
      (operation.parameters ?? [])
        .map((parameter) => (parameter.$ref ? this.spec.components.parameters[parameter.$ref.split('/').pop()!]! : parameter))
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name),
    );
    for (const name of new URLSearchParams(request.path.split('?')[1] ?? '').keys()) {
      if (!known.has(name)) problems.push(`${label}: no query parameter ${name}`);
    }
    const validate = this.validatorFor(route);
    if (validate && request.body !== undefined && !validate(request.body)) {
      problems.push(`${label}: ${this.ajv.errorsText(validate.errors)}`);
    }
    const comments = (request.body as { comments?: { side?: string; start_side?: string; position?: number }[] } | undefined)?.comments;
    for (const comment of comments ?? []) {
      if (comment.side !== 'RIGHT' && comment.side !== 'LEFT') problems.push(`${label}: comment side ${String(comment.side)}`);
      if (comment.start_side !== undefined && comment.start_side !== 'RIGHT' && comment.start_side !== 'LEFT') problems.push(`${label}: start_side ${comment.start_side}`);
      if (comment.position !== undefined) problems.push(`${label}: uses the deprecated position`);
    }
    return problems;
  }

  private schema: GraphQLSchema | undefined;

  /** What GitHub's published GraphQL schema (@octokit/graphql-schema) says is wrong with a query. */
  graphqlProblems(query: string): string[] {
    // The introspection result, as GitHub serves it (the published SDL defines one field twice).
    this.schema ??= buildClientSchema(
      JSON.parse(readFileSync(join(ROOT, 'node_modules/@octokit/graphql-schema/schema.json'), 'utf8')) as IntrospectionQuery,
    );
    let document;
    try {
      document = parseGraphql(query);
    } catch (error) {
      return [`does not parse: ${(error as Error).message}`];
    }
    return validateGraphql(this.schema, document).map((error) => error.message);
  }

  checkAll(requests: RecordedRequest[]): string[] {
    return requests.flatMap((request) => this.check(request));
  }
}

/**
 * OpenAPI 3.0's `nullable` beside no `type` (`{ nullable: true, oneOf: [...] }`, as the
 * commits in a comparison have their author) is one Ajv refuses to compile: it is made the
 * same schema or null.
 */
function withTypelessNullables<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withTypelessNullables) as T;
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, withTypelessNullables(value)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  if (object.nullable !== true || 'type' in object) return object as T;
  const { nullable: _nullable, ...rest } = object;
  return { anyOf: [rest, { type: 'null' }] } as T;
}

/** A JSON pointer to the spec node at these segments, URI-encoded for Ajv's `$ref`. */
function jsonPointer(segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');
}
