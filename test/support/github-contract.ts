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
    this.spec = JSON.parse(readFileSync(join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json'), 'utf8'));
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
      const pointer = ['paths', route.template, route.method.toLowerCase(), 'requestBody', 'content', mediaType ?? '', 'schema']
        .map((segment) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1')))
        .join('/');
      this.validators.set(key, mediaType ? this.ajv.compile({ $ref: `github#/${pointer}` }) : null);
    }
    return this.validators.get(key)!;
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
