import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/**
 * The modules a source file loads as it is imported, transitively: its static value imports
 * (`import type` is erased, `import()` waits until it runs), as repository paths.
 */
function staticallyLoaded(entry: string): Set<string> {
  const loaded = new Set<string>();
  const pending = [join(ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    const path = relative(ROOT, file);
    if (loaded.has(path)) continue;
    loaded.add(path);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'(\.[^']+)'|^import\s+'(\.[^']+)'/gm)) {
      const target = join(dirname(file), (match[1] ?? match[2]!).replace(/\.js$/, '.ts'));
      if (existsSync(target)) pending.push(target);
    }
  }
  return loaded;
}

describe('the CLI at start-up', () => {
  it('loads no module of the Helm engine: lint loads it once it meets a chart, template when it runs', () => {
    const loaded = staticallyLoaded('src/cli/main.ts');
    // The walk itself is followed: the lint command's modules are among those it loads.
    expect(loaded).toContain('src/cli/lint.ts');
    expect(loaded).toContain('src/core/analyze-files.ts');
    expect([...loaded].filter((path) => path.startsWith('src/core/helm/') || ['src/core/charts.ts', 'src/core/analyze.ts', 'src/cli/template.ts'].includes(path))).toEqual([]);
  });

  it("sets V8's tiering first: the entry's first import is tiering.ts, which imports nothing of the CLI's", () => {
    const entry = readFileSync(join(ROOT, 'src/cli/main.ts'), 'utf8');
    expect(/^import\s[^;]*;/m.exec(entry)?.[0]).toBe("import './tiering.js';");
    expect([...staticallyLoaded('src/cli/tiering.ts')]).toEqual(['src/cli/tiering.ts']);
  });

  it('sees a static import of the Helm engine where there is one', () => {
    expect(staticallyLoaded('src/core/analyze.ts')).toContain('src/core/helm/render.ts');
  });
});
