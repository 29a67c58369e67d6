/**
 * text/template's parser (src/text/template/parse/parse.go): one template text becomes a
 * tree for itself and one for each `define`/`block` in it. Errors are Go's, word for word
 * (`template: NAME:LINE: MESSAGE`).
 */
import { sprintf } from '../fmt.js';
import type { Origin, OriginSpan } from '../origins.js';
import type { GoValue } from '../values.js';
import { Item, Lexer, tokenString, type Token } from './lexer.js';
import { INVALID_SYNTAX, parseFloat64, parseInteger, unquote, unquoteChar } from './literals.js';
import {
  ActionNode,
  BoolNode,
  BranchNode,
  BreakNode,
  ChainNode,
  CommandNode,
  ContinueNode,
  DotNode,
  ElseNode,
  EndNode,
  FieldNode,
  IdentifierNode,
  isEmptyTree,
  ListNode,
  NilNode,
  NumberNode,
  PipeNode,
  StringNode,
  TemplateNode,
  TextNode,
  VariableNode,
  type Node,
} from './nodes.js';

/** Where a tree's text came from: a file of the chart, or text `tpl` was given (with the origins of its characters). */
export type TemplateSource = { kind: 'file'; path: string } | { kind: 'text'; origins: OriginSpan[]; fallback: Origin };

/** One parsed template. */
export class Tree {
  root: ListNode | undefined;
  constructor(
    /** The template's name (a file's, or a define's). */
    public name: string,
    /** The name of the text it was parsed from, which error locations show. */
    readonly parseName: string,
    readonly text: string,
    readonly source: TemplateSource,
  ) {}
}

/** A parse failure, with Go's message. */
export class TemplateParseError extends Error {}

const MAX_STACK_DEPTH = 10000;
const MAX_PIPELINE_COMMANDS = 100000;

/**
 * Parses `text` (the template `name`) into its trees: the text's own and its defines',
 * by name. `hasFunction` says which function names exist (Go checks them while parsing).
 */
export function parseTemplate(name: string, text: string, source: TemplateSource, hasFunction: (name: string) => boolean): Map<string, Tree> {
  const trees = new Map<string, Tree>();
  const parser = new Parser(new Tree(name, name, text, source), new Lexer(text), trees, hasFunction);
  parser.parse();
  parser.add();
  return trees;
}

class Parser {
  private readonly token: Token[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;
  /** Where the action being parsed starts (its `{{`), and where the last `}}` read ended. */
  private actionStart = 0;
  private lastRightDelimEnd = 0;

  constructor(
    private readonly tree: Tree,
    private readonly lexer: Lexer,
    private readonly trees: Map<string, Tree>,
    private readonly hasFunction: (name: string) => boolean,
  ) {}

  // --- Tokens ---

  private fromLexer(): Token {
    const token = this.lexer.nextItem();
    if (token.typ === Item.RightDelim) this.lastRightDelimEnd = token.pos + token.val.length;
    return token;
  }

  private next(): Token {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.fromLexer();
    return this.token[this.peekCount]!;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Token): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Token, t1: Token): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Token {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.fromLexer();
    return this.token[0];
  }

  private nextNonSpace(): Token {
    let token: Token;
    do token = this.next();
    while (token.typ === Item.Space);
    return token;
  }

  private peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- Errors ---

  private errorf(format: string, ...args: GoValue[]): never {
    throw new TemplateParseError(`template: ${this.tree.parseName}:${this.token[0]!.line}: ${sprintf(format, ...args)}`);
  }

  private expect(expected: Item, context: string): Token {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(expected1: Item, expected2: Item, context: string): Token {
    const token = this.nextNonSpace();
    if (token.typ !== expected1 && token.typ !== expected2) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Token, context: string): never {
    if (token.typ === Item.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.tree.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf('%s%s', tokenString(token), extra);
    }
    this.errorf('unexpected %s in %s', tokenString(token), context);
  }

  // --- Trees ---

  /** Installs the tree in the set: a second non-empty definition of one name in one text is an error. */
  add(): void {
    const existing = this.trees.get(this.tree.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.trees.set(this.tree.name, this.tree);
      return;
    }
    if (!isEmptyTree(this.tree.root)) this.errorf('template: multiple definition of template %q', this.tree.name);
  }

  /** A parser for a tree defined inside this one, reading on from the same lexer. */
  private nested(name: string): Parser {
    const parser = new Parser(new Tree(name, this.tree.parseName, this.tree.text, this.tree.source), this.lexer, this.trees, this.hasFunction);
    parser.lastRightDelimEnd = this.lastRightDelimEnd;
    return parser;
  }

  /** Back from a nested tree: Go's parser keeps its own (stale) tokens; only the position of the last `}}` moved on. */
  private resumeFrom(nested: Parser): void {
    this.lastRightDelimEnd = nested.lastRightDelimEnd;
  }

  parse(): void {
    this.tree.root = new ListNode(this.tree, this.peek().pos);
    while (this.peek().typ !== Item.EOF) {
      if (this.peek().typ === Item.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === Item.Define) {
          const definition = this.nested('definition');
          definition.parseDefinition();
          this.resumeFrom(definition);
          continue;
        }
        this.backup2(delim);
      }
      const node = this.textOrAction();
      if (node.kind === 'end' || node.kind === 'else') this.errorf('unexpected %s', String(node));
      this.tree.root.nodes.push(node);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(Item.String, Item.RawString, context);
    const unquoted = unquote(name.val);
    if (unquoted === undefined) this.errorf('%s', INVALID_SYNTAX);
    this.tree.name = unquoted;
    this.expect(Item.RightDelim, context);
    const [list, end] = this.itemList();
    this.tree.root = list;
    if (end.kind !== 'end') this.errorf('unexpected %s in %s', String(end), context);
    this.add();
  }

  private itemList(): [ListNode, Node] {
    const list = new ListNode(this.tree, this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== Item.EOF) {
      const node = this.textOrAction();
      if (node.kind === 'end' || node.kind === 'else') return [list, node];
      list.nodes.push(node);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.Text:
        return new TextNode(this.tree, token.pos, token.val);
      case Item.LeftDelim: {
        this.actionLine = token.line;
        this.actionStart = token.pos;
        const node = this.action();
        this.actionLine = 0;
        return node;
      }
    }
    this.unexpected(token, 'input');
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.Block:
        return this.blockControl();
      case Item.Break:
        return this.breakControl(token.pos);
      case Item.Continue:
        return this.continueControl(token.pos);
      case Item.Else:
        return this.elseControl();
      case Item.End:
        return this.endControl();
      case Item.If:
        return this.branchControl('if');
      case Item.Range:
        return this.branchControl('range');
      case Item.Template:
        return this.templateControl();
      case Item.With:
        return this.branchControl('with');
    }
    this.backup();
    const start = this.actionStart;
    const first = this.peek();
    const node = new ActionNode(this.tree, first.pos, first.line, this.pipeline('command', Item.RightDelim));
    node.start = start;
    node.end = this.lastRightDelimEnd;
    return node;
  }

  private breakControl(pos: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== Item.RightDelim) this.unexpected(token, '{{break}}');
    if (this.rangeDepth === 0) this.errorf('{{break}} outside {{range}}');
    return new BreakNode(this.tree, pos);
  }

  private continueControl(pos: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== Item.RightDelim) this.unexpected(token, '{{continue}}');
    if (this.rangeDepth === 0) this.errorf('{{continue}} outside {{range}}');
    return new ContinueNode(this.tree, pos);
  }

  private pipeline(context: string, end: Item): PipeNode {
    const first = this.peekNonSpace();
    const pipe = new PipeNode(this.tree, first.pos, first.line);
    declarations: for (;;) {
      const variable = this.peekNonSpace();
      if (variable.typ !== Item.Variable) break;
      this.next();
      // Space is a token: "$x foo" needs three tokens of look-ahead to tell an argument from a declaration.
      const tokenAfterVariable = this.peek();
      const following = this.peekNonSpace();
      if (following.typ === Item.Assign || following.typ === Item.Declare) {
        pipe.isAssign = following.typ === Item.Assign;
        this.nextNonSpace();
        pipe.decl.push(new VariableNode(this.tree, variable.pos, variable.val));
        this.vars.push(variable.val);
      } else if (following.typ === Item.Char && following.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(new VariableNode(this.tree, variable.pos, variable.val));
        this.vars.push(variable.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().typ;
          if (after === Item.Variable || after === Item.RightDelim || after === Item.RightParen) continue declarations;
          this.errorf('range can only initialize variables');
        }
        this.errorf('too many declarations in %s', context);
      } else if (tokenAfterVariable.typ === Item.Space) this.backup3(variable, tokenAfterVariable);
      else this.backup2(variable);
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case Item.Bool:
        case Item.CharConstant:
        case Item.Complex:
        case Item.Dot:
        case Item.Field:
        case Item.Identifier:
        case Item.Number:
        case Item.Nil:
        case Item.RawString:
        case Item.String:
        case Item.Variable:
        case Item.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          if (pipe.cmds.length > MAX_PIPELINE_COMMANDS) this.errorf('pipeline too long');
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf('missing value for %s', context);
    pipe.cmds.slice(1).forEach((command, index) => {
      const kind = command.args[0]!.kind;
      if (kind === 'bool' || kind === 'dot' || kind === 'nil' || kind === 'number' || kind === 'string') {
        this.errorf('non executable command in pipeline stage %d', BigInt(index + 2));
      }
    });
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const start = this.actionStart;
    const varsBefore = this.vars.length;
    const pipe = this.pipeline(context, Item.RightDelim);
    const end = this.lastRightDelimEnd;
    if (context === 'range') this.rangeDepth++;
    const [list, afterList] = this.itemList();
    let next = afterList;
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (next.kind === 'else') {
      // "{{else if b}}" and "{{else with b}}" are "{{else}}{{if b}}...{{end}}{{end}}": the inner
      // control consumes the one {{end}}.
      if (context === 'if' && this.peek().typ === Item.If) {
        this.next();
        elseList = new ListNode(this.tree, next.pos);
        elseList.nodes.push(this.branchControl('if'));
      } else if (context === 'with' && this.peek().typ === Item.With) {
        this.next();
        elseList = new ListNode(this.tree, next.pos);
        elseList.nodes.push(this.branchControl('with'));
      } else {
        [elseList, next] = this.itemList();
        if (next.kind !== 'end') this.errorf('expected end; found %s', String(next));
      }
    }
    this.vars.length = varsBefore;
    const node = new BranchNode(context, this.tree, pipe.pos, pipe.line, pipe, list, elseList);
    node.start = start;
    node.end = end;
    return node;
  }

  private branchControl(context: 'if' | 'range' | 'with'): BranchNode {
    return this.parseControl(context);
  }

  private endControl(): Node {
    return new EndNode(this.tree, this.expect(Item.RightDelim, 'end').pos);
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    // "{{else if" and "{{else with" leave the if or with pending for parseControl.
    if (peek.typ === Item.If || peek.typ === Item.With) return new ElseNode(this.tree, peek.pos, peek.line);
    const token = this.expect(Item.RightDelim, 'else');
    return new ElseNode(this.tree, token.pos, token.line);
  }

  private blockControl(): Node {
    const context = 'block clause';
    const start = this.actionStart;
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, Item.RightDelim);
    const end = this.lastRightDelimEnd;
    const block = this.nested(name);
    const [list, blockEnd] = block.itemList();
    block.tree.root = list;
    if (blockEnd.kind !== 'end') this.errorf('unexpected %s in %s', String(blockEnd), context);
    block.add();
    this.resumeFrom(block);
    const node = new TemplateNode(this.tree, token.pos, token.line, name, pipe);
    node.start = start;
    node.end = end;
    return node;
  }

  private templateControl(): Node {
    const context = 'template clause';
    const start = this.actionStart;
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== Item.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Item.RightDelim);
    }
    const node = new TemplateNode(this.tree, token.pos, token.line, name, pipe);
    node.start = start;
    node.end = this.lastRightDelimEnd;
    return node;
  }

  private parseTemplateName(token: Token, context: string): string {
    if (token.typ === Item.String || token.typ === Item.RawString) {
      const name = unquote(token.val);
      if (name === undefined) this.errorf('%s', INVALID_SYNTAX);
      return name;
    }
    this.unexpected(token, context);
  }

  private command(): CommandNode {
    const command = new CommandNode(this.tree, this.peekNonSpace().pos);
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) command.args.push(operand);
      const token = this.next();
      if (token.typ === Item.Space) continue;
      if (token.typ === Item.RightDelim || token.typ === Item.RightParen) this.backup();
      else if (token.typ !== Item.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (command.args.length === 0) this.errorf('empty command');
    return command;
  }

  private operand(): Node | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().typ !== Item.Field) return node;
    const chain = new ChainNode(this.tree, this.peek().pos, node);
    while (this.peek().typ === Item.Field) chain.add(this.next().val);
    // Fields after a field or a variable extend it; literals cannot have fields.
    switch (node.kind) {
      case 'field':
        return new FieldNode(this.tree, chain.pos, String(chain));
      case 'variable':
        return new VariableNode(this.tree, chain.pos, String(chain));
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf('unexpected . after term %q', String(node));
    }
    return chain;
  }

  private term(): Node | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.Identifier:
        if (!this.hasFunction(token.val)) this.errorf('function %q not defined', token.val);
        return new IdentifierNode(this.tree, token.pos, token.val);
      case Item.Dot:
        return new DotNode(this.tree, token.pos);
      case Item.Nil:
        return new NilNode(this.tree, token.pos);
      case Item.Variable:
        return this.useVar(token.pos, token.val);
      case Item.Field:
        return new FieldNode(this.tree, token.pos, token.val);
      case Item.Bool:
        return new BoolNode(this.tree, token.pos, token.val === 'true');
      case Item.CharConstant:
      case Item.Complex:
      case Item.Number:
        return this.newNumber(token);
      case Item.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        const pipe = this.pipeline('parenthesized pipeline', Item.RightParen);
        this.stackDepth--;
        return pipe;
      }
      case Item.String:
      case Item.RawString: {
        const text = unquote(token.val);
        if (text === undefined) this.errorf('%s', INVALID_SYNTAX);
        return new StringNode(this.tree, token.pos, token.val, text);
      }
    }
    this.backup();
    return undefined;
  }

  private useVar(pos: number, name: string): Node {
    const variable = new VariableNode(this.tree, pos, name);
    if (!this.vars.includes(variable.ident[0]!)) this.errorf('undefined variable %q', variable.ident[0]!);
    return variable;
  }

  private newNumber(token: Token): NumberNode {
    const text = token.val;
    const number = new NumberNode(this.tree, token.pos, text);
    if (token.typ === Item.CharConstant) {
      const character = unquoteChar(text, 1, 0x27);
      if (!character) this.errorf('%s', INVALID_SYNTAX);
      if (text.slice(character.next) !== "'") this.errorf('malformed character constant: %s', text);
      number.int64 = number.uint64 = BigInt(character.value);
      number.float64 = character.value;
      number.isInt = number.isUint = number.isFloat = true;
      return number;
    }
    if (token.typ === Item.Complex || text.endsWith('i')) {
      // Complex constants have no place among Helm's values; they parse, and fail if evaluated.
      const imaginary = token.typ === Item.Complex ? undefined : parseFloat64(text.slice(0, -1));
      if (token.typ === Item.Complex || imaginary !== undefined) {
        number.isComplex = true;
        return number;
      }
    }
    const unsigned = parseInteger(text, false);
    if (unsigned !== undefined) {
      number.isUint = true;
      number.uint64 = unsigned;
    }
    const signed = parseInteger(text, true);
    if (signed !== undefined) {
      number.isInt = true;
      number.int64 = signed;
      if (signed === 0n) {
        number.isUint = true;
        number.uint64 = unsigned ?? 0n;
      }
    }
    if (number.isInt) {
      number.isFloat = true;
      number.float64 = Number(number.int64);
    } else if (number.isUint) {
      number.isFloat = true;
      number.float64 = Number(number.uint64);
    } else {
      const float = parseFloat64(text);
      if (float !== undefined) {
        if (!/[.eEpP]/.test(text)) this.errorf('integer overflow: %q', text);
        number.isFloat = true;
        number.float64 = float;
        if (Number.isInteger(float) && float >= -(2 ** 63) && float < 2 ** 63) {
          number.isInt = true;
          number.int64 = BigInt(float);
        }
        if (Number.isInteger(float) && float >= 0 && float < 2 ** 64) {
          number.isUint = true;
          number.uint64 = BigInt(float);
        }
      }
    }
    if (!number.isInt && !number.isUint && !number.isFloat) this.errorf('illegal number syntax: %q', text);
    return number;
  }
}
