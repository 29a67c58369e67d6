import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RENDER_BUDGET, RenderBudgetExceeded, renderTemplates } from '../src/core/helm/template/index.js';
import { helmGoldens, type HelmSnippet } from './support/helm-goldens.js';
import { HELM_FUNCTIONS, renderSnippet, snippetTemplates } from './helm-template-harness.js';
import { ROOT } from './helpers.js';

/**
 * Templates come from pull requests: every render is bounded (nesting, steps, output, time)
 * and stops with RenderBudgetExceeded naming the budget and the template.
 */

const loop = (body: string): HelmSnippet => ({ name: 'budget', mode: 'file', template: `a: ${body}\n` });

function budgetError(snippet: HelmSnippet, budget: Parameters<typeof renderTemplates>[2] = {}): RenderBudgetExceeded {
  try {
    renderTemplates(snippetTemplates(snippet), HELM_FUNCTIONS, budget);
  } catch (error) {
    if (error instanceof RenderBudgetExceeded) return error;
    throw error;
  }
  throw new Error('rendered within its budget');
}

const recursion: HelmSnippet = {
  name: 'include-recursion',
  mode: 'file',
  template: 'a: {{ include "meshready.loop" . }}\n',
  files: { 'templates/_loop.tpl': '{{ define "meshready.loop" }}{{ include "meshready.loop" . }}{{ end }}' },
};

const selfTemplate: HelmSnippet = {
  name: 'template-recursion',
  mode: 'file',
  template: 'a: {{ template "meshready.self" . }}\n',
  files: { 'templates/_self.tpl': '{{ define "meshready.self" }}{{ template "meshready.self" . }}{{ end }}' },
};

describe('render budgets', async () => {
  const goldens = await helmGoldens('template-budget', [recursion, selfTemplate]);

  it("stops include recursion with Helm's own error when the stack holds 1001 levels", () => {
    // Helm allows 1001 nested includes of one name; Node's default stack holds fewer, a bigger one all.
    const work = mkdtempSync(join(tmpdir(), 'meshready-recursion-'));
    try {
      const script = join(work, 'render.ts');
      writeFileSync(
        script,
        [
          `import { renderSnippet } from ${JSON.stringify(join(ROOT, 'test/helm-template-harness.ts'))};`,
          `const snippet = ${JSON.stringify(recursion)};`,
          'process.stdout.write(JSON.stringify(renderSnippet(snippet, { budget: { maxIncludeDepth: 5000 } })));',
        ].join('\n'),
      );
      const output = execFileSync(process.execPath, ['--stack-size=4000', '--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      expect(JSON.parse(output)).toEqual(goldens[recursion.name]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    expect(goldens[recursion.name]!.error).toMatch(/error calling include: rendering template has a nested reference name: meshready.loop: unable to execute template$/);
    // A process of its own, with a bigger stack: slow to start on a busy machine.
  }, 120_000);

  it('stops include recursion at the nesting budget on a default stack', () => {
    const error = budgetError(recursion);
    expect(error.message).toBe(`render budget exceeded: templates nested more than ${DEFAULT_RENDER_BUDGET.maxIncludeDepth} deep, rendering snippet/templates/snippet.yaml`);
    expect(error.template).toBe('snippet/templates/snippet.yaml');
  });

  it('stops {{template}} recursion, which Go lets run 100000 deep, at the same budget', () => {
    expect(goldens[selfTemplate.name]!.error).toMatch(/exceeded maximum template depth \(100000\)$/);
    expect(budgetError(selfTemplate).message).toMatch(/^render budget exceeded: templates nested more than \d+ deep/);
  });

  it('stops a huge range, and nested ranges, at the step budget', () => {
    const steps = { budget: { maxSteps: 1_000_000 } };
    expect(budgetError(loop('{{ range 100000000 }}x{{ end }}'), steps).message).toBe(
      'render budget exceeded: more than 1000000 steps (nodes, range iterations, function calls), rendering snippet/templates/snippet.yaml',
    );
    expect(budgetError(loop('{{ range 10000 }}{{ range 10000 }}{{ end }}{{ end }}'), steps).message).toMatch(/more than 1000000 steps/);
  });

  it('stops runaway output at the output budget, include buffers counted', () => {
    const big = loop('{{ range 2000 }}{{ include "meshready.big" . }}{{ end }}');
    big.files = { 'templates/_big.tpl': `{{ define "meshready.big" }}${'x'.repeat(10000)}{{ end }}` };
    expect(budgetError(big, { budget: { maxOutputBytes: 1_000_000 } }).message).toBe(
      'render budget exceeded: more than 1000000 bytes of output, rendering snippet/templates/snippet.yaml',
    );
  });

  it('stops a slow render at the time limit', () => {
    const slow = loop('{{ range 100000000 }}{{ printf "%d" . }}{{ end }}');
    expect(budgetError(slow, { budget: { timeLimitMs: 50, maxSteps: Number.MAX_SAFE_INTEGER, maxOutputBytes: Number.MAX_SAFE_INTEGER } }).message).toBe(
      'render budget exceeded: more than 50 ms, rendering snippet/templates/snippet.yaml',
    );
  });

  it('reads the clock at every function call, so slow calls stop soon after the limit', () => {
    const slow = loop('{{ range 100000 }}{{ genPrivateKey "ecdsa" }}{{ end }}');
    const started = Date.now();
    expect(budgetError(slow, { budget: { timeLimitMs: 100 } }).message).toBe('render budget exceeded: more than 100 ms, rendering snippet/templates/snippet.yaml');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops parentheses nested deeper than the stack holds, parsing or executing', () => {
    const nested = (depth: number) => loop(`{{ ${'('.repeat(depth)}1${')'.repeat(depth)} }}`);
    expect(renderSnippet(nested(500))).toEqual({ output: 'a: 1\n' });
    expect(budgetError(nested(5000)).message).toBe('render budget exceeded: expressions nested too deep for the stack, parsing snippet/templates/snippet.yaml');
  });

  it('renders within the budgets otherwise', () => {
    const many = loop('"{{ range 1000 }}{{ include "meshready.small" . }}{{ end }}"');
    many.files = { 'templates/_small.tpl': '{{ define "meshready.small" }}{{ range 100 }}{{ end }}x{{ end }}' };
    expect(renderSnippet(many)).toEqual({ output: `a: "${'x'.repeat(1000)}"\n` });
  });
});
