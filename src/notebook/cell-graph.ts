import type { Identifier } from 'acorn';
import { simple } from 'acorn-walk';
import type { Cell } from './notebook.ts';
import { CellSyntaxError, parseJsCell, type JsCellCode } from './js-references.ts';
import { readsTable, sqlReferences } from './sql-references.ts';
import { sqlTemplate, specReferences } from './sql-template.ts';
import { InputSpecError, optionsQuery, parseInputSpec } from './input-spec.ts';
import { ExerciseSpecError, parseExerciseSpec } from './exercise-spec.ts';
import { cellCohortNames } from './cohort-cells.ts';

/** An error shown on one cell; line and column count from 1. */
export interface CellError {
  message: string;
  line?: number;
  column?: number;
}

/** One cell in the dependency graph. */
export interface CellNode {
  cell: Cell;
  /** Its position in the notebook, from 0. */
  index: number;
  /** Names this cell defines. */
  declarations: string[];
  /** Names it reads that other cells define, mapped to the defining cell's id. */
  inputs: Map<string, string>;
  /** A JS cell's parsed code. */
  code?: JsCellCode;
  /** Builtins a JS cell reads (passed in as parameters, like inputs). */
  builtins: string[];
  /** An error found before running: syntax, duplicate name, cycle, unknown name, assignment. */
  error?: CellError;
}

/** The cells with their dependencies, and an order to run them in. */
export interface CellGraph {
  nodes: Map<string, CellNode>;
  /** Every cell id, each after the cells it reads; ties (and cycles) in notebook order. */
  order: string[];
}

export interface GraphOptions {
  /** Names every JS cell may read without defining them (`aq`, `Plot`, `sql`, analyses). */
  builtins: ReadonlySet<string>;
  /** Whether a name is a global of the page (`Math`, `document`): JS cells may read it freely. */
  isGlobal: (name: string) => boolean;
  /** What a cell with a syntax error defined the last time it parsed, so its readers say it failed. */
  previousDeclarations?: ReadonlyMap<string, string[]>;
  /**
   * The tables a SQL cell's text reads, from DuckDB's parser; null or undefined when the parser
   * could not tell or has not answered yet (the names in table position are used instead).
   */
  sqlTables?: (source: string) => readonly string[] | null | undefined;
}

/**
 * Builds the dependency graph of a notebook's cells: what each cell defines and reads, which cell
 * provides each name, and the errors only the whole notebook can reveal (duplicate names, cycles).
 *
 * @example
 * const graph = buildCellGraph(cells, { builtins: new Set(['aq', 'sql']), isGlobal: (n) => n in globalThis });
 * graph.order.map((id) => graph.nodes.get(id)!.declarations);
 */
export function buildCellGraph(cells: readonly Cell[], options: GraphOptions): CellGraph {
  const nodes = new Map<string, CellNode>();
  const wanted = new Map<string, string[]>();
  cells.forEach((cell, index) => {
    const node: CellNode = { cell, index, declarations: [], inputs: new Map(), builtins: [] };
    nodes.set(cell.id, node);
    if (cell.kind === 'js') {
      try {
        node.code = parseJsCell(cell.source);
        node.declarations = node.code.declarations;
        wanted.set(cell.id, node.code.references);
      } catch (error) {
        if (!(error instanceof CellSyntaxError)) throw error;
        node.error = { message: error.message, line: error.line, column: error.column };
        node.declarations = options.previousDeclarations?.get(cell.id) ?? [];
      }
    } else if (cell.kind === 'sql' || cell.kind === 'analysis' || cell.kind === 'input') {
      if (cell.name) node.declarations = [cell.name];
      if (cell.kind === 'input' && !cell.name) node.error = { message: 'an input needs a name: ```input id=platform' };
    } else if (cell.kind === 'exercise') {
      // an exercise defines nothing other cells read; its name keys the student's progress
      if (!cell.name) node.error = { message: 'an exercise needs a name, which keeps the student\'s progress: ```exercise id=week_one' };
      try {
        const check = parseExerciseSpec(cell.source).check;
        if (check?.language === 'js') {
          node.code = parseJsCell(check.code);
          wanted.set(cell.id, node.code.references);
        }
      } catch (error) {
        if (error instanceof CellSyntaxError) node.error ??= { message: `the check: ${error.message}`, line: error.line, column: error.column };
        else if (error instanceof ExerciseSpecError) node.error ??= { message: error.message, ...(error.line === undefined ? {} : { line: error.line }) };
        else throw error;
      }
    }
  });

  const providers = new Map<string, CellNode[]>();
  for (const node of nodes.values()) {
    for (const name of node.declarations) providers.set(name, [...(providers.get(name) ?? []), node]);
  }
  for (const [name, defining] of providers) {
    if (defining.length < 2) continue;
    for (const node of defining) {
      const others = defining.filter((other) => other !== node).map((other) => other.index + 1);
      node.error ??= { message: `duplicate name "${name}": also defined by cell ${others.join(', ')}` };
    }
  }

  for (const node of nodes.values()) {
    const { cell } = node;
    if (cell.kind === 'js' || (cell.kind === 'exercise' && node.code)) {
      for (const name of wanted.get(cell.id) ?? []) {
        const provider = providers.get(name)?.[0];
        if (provider && provider !== node) node.inputs.set(name, provider.cell.id);
        else if (options.builtins.has(name)) node.builtins.push(name);
        else if (!options.isGlobal(name)) node.error ??= unknownName(name, node.code!);
      }
      const assigned = node.code?.assignments.find((name) => node.inputs.has(name) || node.builtins.includes(name));
      if (assigned) node.error ??= { message: `cannot assign to "${assigned}", which is defined outside this cell` };
    } else if (cell.kind === 'sql') {
      const template = sqlTemplate(cell.source);
      readTables(node, options.sqlTables?.(template.text) ?? sqlReferences(template.text).tables, providers);
      readNames(node, template.references.map((r) => r.name), providers, (name) => `unknown name "\${${name}}": no cell or input defines it`);
    } else if (cell.kind === 'analysis') {
      readNames(node, specReferences(cell.source), providers, (name) => `unknown name "\${${name}}": no cell or input defines it`);
      readCohorts(node, cellCohortNames(cell), providers);
    } else if (cell.kind === 'input') {
      try {
        const query = optionsQuery(parseInputSpec(cell.source));
        if (query) readTables(node, options.sqlTables?.(query) ?? sqlReferences(query).tables, providers);
      } catch (error) {
        if (!(error instanceof InputSpecError)) throw error;
        node.error ??= { message: error.message, ...(error.line === undefined ? {} : { line: error.line }) };
      }
    } else if (cell.kind === 'exercise' && !node.error) {
      const check = parseExerciseSpec(cell.source).check;
      if (check?.language === 'sql') readTables(node, options.sqlTables?.(check.code) ?? sqlReferences(check.code).tables, providers);
    }
  }

  const order = topologicalOrder(cells.map((cell) => nodes.get(cell.id)!), nodes);
  markCycles(nodes);
  return { nodes, order };
}

/** A SQL text's tables that other cells define become the node's inputs. */
function readTables(node: CellNode, tables: readonly string[], providers: Map<string, CellNode[]>): void {
  for (const [name, defining] of providers) {
    if (defining[0] !== node && !defining.includes(node) && readsTable(tables, name)) node.inputs.set(name, defining[0].cell.id);
  }
}

/** Names a cell reads as values (`${platform}`); one no cell defines is an error on the cell. */
function readNames(node: CellNode, names: string[], providers: Map<string, CellNode[]>, unknown: (name: string) => string): void {
  for (const name of names) {
    const provider = providers.get(name)?.[0];
    if (provider && provider !== node) node.inputs.set(name, provider.cell.id);
    else node.error ??= { message: provider === node ? `a cell cannot read its own value "\${${name}}"` : unknown(name) };
  }
}

/** Cohorts a cell names (`"cohort": "activated"`) come from the cohort cells of those names. */
function readCohorts(node: CellNode, names: string[], providers: Map<string, CellNode[]>): void {
  for (const name of names) {
    const provider = providers.get(name)?.[0];
    if (provider === node) node.error ??= { message: `cohort cycle: ${name} → ${name}` };
    else if (provider) node.inputs.set(name, provider.cell.id);
    else node.error ??= { message: `unknown cohort "${name}": no cohort cell defines it (add one: \`\`\`cohort id=${name})` };
  }
}

function unknownName(name: string, code: JsCellCode): CellError {
  let first: Identifier | undefined;
  simple(code.program, { Identifier(node) { if (node.name === name && (!first || node.start < first.start)) first = node; } });
  const where = first?.loc ? { line: first.loc.start.line, column: first.loc.start.column + 1 } : {};
  return { message: `unknown name "${name}": no cell defines it`, ...where };
}

/** Kahn's algorithm, always taking the earliest ready cell in notebook order; cycles go last. */
function topologicalOrder(ordered: CellNode[], nodes: Map<string, CellNode>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const ready = (node: CellNode) => [...node.inputs.values()].every((id) => done.has(id) || !nodes.has(id));
  while (order.length < ordered.length) {
    const next = ordered.find((node) => !done.has(node.cell.id) && ready(node))
      ?? ordered.find((node) => !done.has(node.cell.id))!;
    done.add(next.cell.id);
    order.push(next.cell.id);
  }
  return order;
}

/** Tarjan's strongly connected components: every cell on a cycle gets an error naming the cycle. */
function markCycles(nodes: Map<string, CellNode>): void {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;
  const components: string[][] = [];
  const connect = (id: string) => {
    index.set(id, counter);
    low.set(id, counter++);
    stack.push(id);
    onStack.add(id);
    for (const next of nodes.get(id)!.inputs.values()) {
      if (!index.has(next)) {
        connect(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id)!, index.get(next)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      if (component.length > 1) components.push(component);
    }
  };
  for (const id of nodes.keys()) if (!index.has(id)) connect(id);

  for (const component of components) {
    const members = new Set(component);
    for (const id of component) {
      const node = nodes.get(id)!;
      node.error = { message: `cycle: ${cyclePath(id, members, nodes).join(' → ')}` };
    }
  }
}

/** A walk from a cell back to itself through the names it reads: `a → b → a`. */
function cyclePath(start: string, members: Set<string>, nodes: Map<string, CellNode>): string[] {
  const label = (id: string) => nodes.get(id)!.declarations[0] ?? `cell ${nodes.get(id)!.index + 1}`;
  const seen = new Set<string>([start]);
  const path = [start];
  const walk = (id: string): boolean => {
    for (const next of nodes.get(id)!.inputs.values()) {
      if (next === start) return true;
      if (!members.has(next) || seen.has(next)) continue;
      seen.add(next);
      path.push(next);
      if (walk(next)) return true;
      path.pop();
    }
    return false;
  };
  walk(start);
  return [...path, start].map(label);
}

/**
 * The cells that read `ids`, directly or not, in run order (the given cells included).
 *
 * @example
 * downstream(graph, new Set([editedId])); // the edited cell and everything that reads it
 */
export function downstream(graph: CellGraph, ids: ReadonlySet<string>): string[] {
  const affected = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, node] of graph.nodes) {
      if (affected.has(id)) continue;
      if ([...node.inputs.values()].some((input) => affected.has(input))) {
        affected.add(id);
        grew = true;
      }
    }
  }
  return graph.order.filter((id) => affected.has(id));
}
