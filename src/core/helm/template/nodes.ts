/**
 * text/template's parse tree (src/text/template/parse/node.go). `pos` is the UTF-16 offset
 * of the node in its tree's text; `toString` is Go's String(), which error messages quote.
 * Actions and control structures also keep the range of their `{{ ... }}` (`start`, `end`),
 * the origin of what they print.
 */
import { quoteGo } from '../fmt.js';
import type { Origin } from '../origins.js';
import type { Tree } from './parse.js';

interface NodeBase {
  readonly pos: number;
  readonly tree: Tree;
  toString(): string;
}

export class ListNode implements NodeBase {
  readonly kind = 'list';
  readonly nodes: Node[] = [];
  constructor(
    readonly tree: Tree,
    readonly pos: number,
  ) {}
  toString(): string {
    return this.nodes.map(String).join('');
  }
}

export class TextNode implements NodeBase {
  readonly kind = 'text';
  /** Its origin, once known (the same for every execution). */
  origin: Origin | undefined;
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

export class CommentNode implements NodeBase {
  readonly kind = 'comment';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly text: string,
  ) {}
  toString(): string {
    return `{{${this.text}}}`;
  }
}

export class PipeNode implements NodeBase {
  readonly kind = 'pipe';
  isAssign = false;
  readonly decl: VariableNode[] = [];
  readonly cmds: CommandNode[] = [];
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly line: number,
  ) {}
  toString(): string {
    let text = '';
    if (this.decl.length > 0) text = this.decl.map(String).join(', ') + (this.isAssign ? ' = ' : ' := ');
    return text + this.cmds.map(String).join(' | ');
  }
}

/** The `{{ ... }}` range of an action, in its tree's text, and its origin once known. */
export interface ActionRange {
  start: number;
  end: number;
  origin?: Origin | undefined;
}

export class ActionNode implements NodeBase, ActionRange {
  readonly kind = 'action';
  start = 0;
  end = 0;
  origin: Origin | undefined;
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly line: number,
    readonly pipe: PipeNode,
  ) {}
  toString(): string {
    return `{{${this.pipe}}}`;
  }
}

export class CommandNode implements NodeBase {
  readonly kind = 'command';
  readonly args: Node[] = [];
  constructor(
    readonly tree: Tree,
    readonly pos: number,
  ) {}
  toString(): string {
    return this.args.map((arg) => (arg.kind === 'pipe' ? `(${arg})` : String(arg))).join(' ');
  }
}

export class IdentifierNode implements NodeBase {
  readonly kind = 'identifier';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly ident: string,
  ) {}
  toString(): string {
    return this.ident;
  }
}

export class VariableNode implements NodeBase {
  readonly kind = 'variable';
  readonly ident: string[];
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    ident: string,
  ) {
    this.ident = ident.split('.');
  }
  toString(): string {
    return this.ident.join('.');
  }
}

export class DotNode implements NodeBase {
  readonly kind = 'dot';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
  ) {}
  toString(): string {
    return '.';
  }
}

export class NilNode implements NodeBase {
  readonly kind = 'nil';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
  ) {}
  toString(): string {
    return 'nil';
  }
}

export class FieldNode implements NodeBase {
  readonly kind = 'field';
  readonly ident: string[];
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    ident: string,
  ) {
    this.ident = ident.slice(1).split('.');
  }
  toString(): string {
    return this.ident.map((ident) => `.${ident}`).join('');
  }
}

export class ChainNode implements NodeBase {
  readonly kind = 'chain';
  readonly field: string[] = [];
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly node: Node,
  ) {}
  add(field: string): void {
    this.field.push(field.slice(1));
  }
  toString(): string {
    const head = this.node.kind === 'pipe' ? `(${this.node})` : String(this.node);
    return head + this.field.map((field) => `.${field}`).join('');
  }
}

export class BoolNode implements NodeBase {
  readonly kind = 'bool';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly value: boolean,
  ) {}
  toString(): string {
    return this.value ? 'true' : 'false';
  }
}

/** A number constant under every type that holds it, as Go's ideal constants. */
export class NumberNode implements NodeBase {
  readonly kind = 'number';
  isInt = false;
  isUint = false;
  isFloat = false;
  isComplex = false;
  int64 = 0n;
  uint64 = 0n;
  float64 = 0;
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

export class StringNode implements NodeBase {
  readonly kind = 'string';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly quoted: string,
    readonly text: string,
  ) {}
  toString(): string {
    return this.quoted;
  }
}

export class EndNode implements NodeBase {
  readonly kind = 'end';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
  ) {}
  toString(): string {
    return '{{end}}';
  }
}

export class ElseNode implements NodeBase {
  readonly kind = 'else';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly line: number,
  ) {}
  toString(): string {
    return '{{else}}';
  }
}

/** if, range and with: a pipeline, what runs when it is non-empty, and the optional else. */
export class BranchNode implements NodeBase, ActionRange {
  start = 0;
  end = 0;
  origin: Origin | undefined;
  constructor(
    readonly kind: 'if' | 'range' | 'with',
    readonly tree: Tree,
    readonly pos: number,
    readonly line: number,
    readonly pipe: PipeNode,
    readonly list: ListNode,
    readonly elseList: ListNode | undefined,
  ) {}
  toString(): string {
    const elsePart = this.elseList ? `{{else}}${this.elseList}` : '';
    return `{{${this.kind} ${this.pipe}}}${this.list}${elsePart}{{end}}`;
  }
}

export class BreakNode implements NodeBase {
  readonly kind = 'break';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
  ) {}
  toString(): string {
    return '{{break}}';
  }
}

export class ContinueNode implements NodeBase {
  readonly kind = 'continue';
  constructor(
    readonly tree: Tree,
    readonly pos: number,
  ) {}
  toString(): string {
    return '{{continue}}';
  }
}

export class TemplateNode implements NodeBase, ActionRange {
  readonly kind = 'template';
  start = 0;
  end = 0;
  origin: Origin | undefined;
  constructor(
    readonly tree: Tree,
    readonly pos: number,
    readonly line: number,
    readonly name: string,
    readonly pipe: PipeNode | undefined,
  ) {}
  toString(): string {
    return `{{template ${quoteGo(this.name)}${this.pipe ? ` ${this.pipe}` : ''}}}`;
  }
}

export type Node =
  | ListNode
  | TextNode
  | CommentNode
  | PipeNode
  | ActionNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | EndNode
  | ElseNode
  | BranchNode
  | BreakNode
  | ContinueNode
  | TemplateNode;

/** unicode.IsSpace, what bytes.TrimSpace trims (JavaScript's trim differs in U+0085 and U+FEFF). */
const goSpaceOnly = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** Whether a tree holds nothing but space and comments (parse.IsEmptyTree): such a define does not replace another. */
export function isEmptyTree(node: Node | undefined): boolean {
  if (node === undefined) return true;
  switch (node.kind) {
    case 'comment':
      return true;
    case 'list':
      return node.nodes.every(isEmptyTree);
    case 'text':
      return goSpaceOnly.test(node.text);
    default:
      return false;
  }
}
