import { parse, type AnyNode, type Identifier, type Node, type Pattern, type Program } from 'acorn';
import { ancestor, simple } from 'acorn-walk';

/** A JS cell, read: what it defines, what it reads, and what it shows. */
export interface JsCellCode {
  program: Program;
  /** Top-level `const`/`let`/`var`/`function`/`class` names, in order. */
  declarations: string[];
  /** Free identifiers (not declared in the cell), in order of first use, without duplicates. */
  references: string[];
  /** Free identifiers the cell assigns to (`x = 1`, `x++`): another cell's names cannot be changed. */
  assignments: string[];
  /** The expression of the cell's final statement, when that is an expression statement. */
  display: { start: number; end: number } | null;
}

/** A syntax error in a cell, with its 1-based line and column. */
export class CellSyntaxError extends SyntaxError {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
    this.name = 'CellSyntaxError';
  }
}

/**
 * Parses a JS cell as the body of an async function (top-level `await` allowed) and finds its
 * declarations (outputs) and free references (inputs), in the manner of Observable Framework's
 * `parse.ts`. Throws a `CellSyntaxError` whose line and column count from 1.
 *
 * @example
 * const code = parseJsCell('const weekly = cohorts.filter((d) => d.period < 8);\nweekly');
 * code.declarations; // ['weekly']
 * code.references;   // ['cohorts']
 */
export function parseJsCell(source: string): JsCellCode {
  let program: Program;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, locations: true });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = (error as Error).message.replace(/ \(\d+:\d+\)$/, '');
    throw new CellSyntaxError(message, loc?.line ?? 1, (loc?.column ?? 0) + 1);
  }
  const last = program.body[program.body.length - 1];
  const display = last?.type === 'ExpressionStatement' ? { start: last.expression.start, end: last.expression.end } : null;
  const { references, assignments } = findFreeIdentifiers(program);
  return { program, declarations: findDeclarations(program), references, assignments, display };
}

function findDeclarations(program: Program): string[] {
  const names: string[] = [];
  for (const statement of program.body) {
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) names.push(...patternNames(declarator.id));
    } else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) {
      names.push(statement.id.name);
    }
  }
  return [...new Set(names)];
}

function patternNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case 'Identifier': return [pattern.name];
    case 'ObjectPattern': return pattern.properties.flatMap((p) => patternNames(p.type === 'Property' ? p.value : p));
    case 'ArrayPattern': return pattern.elements.flatMap((e) => (e ? patternNames(e) : []));
    case 'RestElement': return patternNames(pattern.argument);
    case 'AssignmentPattern': return patternNames(pattern.left);
    default: return [];
  }
}

type PatternVisitors = Record<string, (node: Node, state?: unknown, ancestors?: Node[]) => void>;

type FunctionNode = Extract<AnyNode, { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' }>;

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'Program']);
const BLOCK_TYPES = new Set([...FUNCTION_TYPES, 'BlockStatement', 'StaticBlock', 'SwitchStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement']);

/** Finds identifiers that no enclosing scope of the cell declares (after acorn-globals' two passes). */
function findFreeIdentifiers(program: Program): { references: string[]; assignments: string[] } {
  const scopes = new Map<Node, Set<string>>();
  const declare = (scope: Node, name: string) => {
    const names = scopes.get(scope);
    if (names) names.add(name);
    else scopes.set(scope, new Set([name]));
  };
  // the scope a declaration belongs to: the nearest enclosing node of the given kinds, the node itself excluded
  const enclosing = (ancestors: Node[], types: Set<string>) => {
    for (let i = ancestors.length - 2; i >= 0; i--) if (types.has(ancestors[i].type)) return ancestors[i];
    return program;
  };
  const declareFunction = (node: FunctionNode) => {
    for (const param of node.params) for (const name of patternNames(param)) declare(node, name);
    if (node.type !== 'ArrowFunctionExpression') declare(node, 'arguments');
    if (node.type === 'FunctionExpression' && node.id) declare(node, node.id.name);
  };

  ancestor(program, {
    VariableDeclaration(node, _state, ancestors) {
      const scope = enclosing(ancestors, node.kind === 'var' ? FUNCTION_TYPES : BLOCK_TYPES);
      for (const declarator of node.declarations) for (const name of patternNames(declarator.id)) declare(scope, name);
    },
    FunctionDeclaration(node, _state, ancestors) {
      if (node.id) declare(enclosing(ancestors, FUNCTION_TYPES), node.id.name);
      declareFunction(node);
    },
    FunctionExpression: declareFunction,
    ArrowFunctionExpression: declareFunction,
    ClassDeclaration(node, _state, ancestors) {
      if (node.id) declare(enclosing(ancestors, BLOCK_TYPES), node.id.name);
    },
    ClassExpression(node) {
      if (node.id) declare(node, node.id.name);
    },
    CatchClause(node) {
      if (node.param) for (const name of patternNames(node.param)) declare(node, name);
    },
  });

  const assigned = new Set<Node>();
  // acorn-walk visits identifiers in binding and assignment positions as 'VariablePattern', which its types omit
  const walkPattern = simple as (node: Node, visitors: PatternVisitors, base: undefined, state: undefined, override: string) => void;
  const markTargets = (target: Pattern | AnyNode) => {
    walkPattern(target as Node, { VariablePattern: (node: Node) => void assigned.add(node) }, undefined, undefined, 'Pattern');
  };
  simple(program, {
    AssignmentExpression: (node) => markTargets(node.left),
    UpdateExpression: (node) => { if (node.argument.type === 'Identifier') assigned.add(node.argument); },
    ForInStatement: (node) => { if (node.left.type !== 'VariableDeclaration') markTargets(node.left); },
    ForOfStatement: (node) => { if (node.left.type !== 'VariableDeclaration') markTargets(node.left); },
  });

  const references = new Set<string>();
  const assignments = new Set<string>();
  const visit = (node: Node, _state: unknown, ancestors: Node[]) => {
    const { name } = node as Identifier;
    for (let i = ancestors.length - 2; i >= 0; i--) if (scopes.get(ancestors[i])?.has(name)) return;
    // a declaration's own identifier is in scope of its scope node, which is an ancestor: only free names reach here
    references.add(name);
    if (assigned.has(node)) assignments.add(name);
  };
  ancestor(program, { Identifier: visit, VariablePattern: visit } as Parameters<typeof ancestor>[1]);
  return { references: [...references], assignments: [...assignments] };
}
