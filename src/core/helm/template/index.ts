/**
 * Helm's template engine in-process: Go's text/template and Helm's render loop, each
 * rendered character traced to the template text, values node or action it came from.
 */
export { DEFAULT_RENDER_BUDGET, HelmRenderError, RenderBudgetExceeded, renderRecorded, renderTemplates, sortTemplateNames } from './render.js';
export type { RenderBudget, RenderOptions, RenderTemplate, TemplateRenderRecord } from './render.js';
export type { ResultTracers, TracingFunction } from './exec.js';
export { concatTraced, filled, replaceAllTraced, sliceTraced, TracedBuilder, tracedAs } from './traced.js';
