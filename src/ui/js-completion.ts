import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { javascript, javascriptLanguage } from '@codemirror/lang-javascript';
import { syntaxTree } from '@codemirror/language';
import type { SyntaxNode } from '@lezer/common';
import { hoverTooltip, type Tooltip } from '@codemirror/view';
import type { EditorState, Extension } from '@codemirror/state';
import type { LiveSchema } from './live-schema.ts';

/** Arquero verbs whose row functions take a row `d` of the table they are called on. */
const ROW_VERBS = new Set([
  'filter', 'derive', 'rollup', 'groupby', 'orderby', 'select', 'spread', 'unroll', 'impute', 'fold', 'pivot',
  'join', 'join_left', 'join_right', 'join_full', 'semijoin', 'antijoin', 'lookup', 'dedupe', 'relocate', 'count', 'sample',
]);

/** A JS cell's language: completion of the names other cells define and of `d.` columns in Arquero verbs. */
export function jsLanguage(schema: LiveSchema): Extension {
  return [
    javascript(),
    javascriptLanguage.data.of({ autocomplete: cellNameSource(schema) }),
    javascriptLanguage.data.of({ autocomplete: rowColumnSource(schema) }),
    jsHover(schema),
  ];
}

const KIND_TYPE = { table: 'class', input: 'variable', value: 'variable', builtin: 'namespace' } as const;

/** Names other cells define (tables, inputs, values) and the builtins, where a name can start. */
function cellNameSource(schema: LiveSchema): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[A-Za-z_$][\w$]*/);
    if (!word && !context.explicit) return null;
    const from = word?.from ?? context.pos;
    if (from > 0 && context.state.sliceDoc(from - 1, from) === '.') return null;
    const node = syntaxTree(context.state).resolveInner(context.pos, -1);
    if (['String', 'TemplateString', 'LineComment', 'BlockComment', 'PropertyName', 'PropertyDefinition'].includes(node.name)) return null;
    const options: Completion[] = schema.names.map(({ name, kind }) => ({
      label: name, type: KIND_TYPE[kind], detail: kind === 'table' && schema.tables[name] ? `table · ${schema.tables[name].length} columns` : kind, boost: kind === 'builtin' ? 0 : 2,
    }));
    return { from, options, validFor: /^[\w$]*$/ };
  };
}

/**
 * After `d.` inside a row function of an Arquero verb (`cohorts.filter((d) => d.|)`), the columns
 * of the table the chain starts from, when a cell defines it.
 */
function rowColumnSource(schema: LiveSchema): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const match = context.matchBefore(/([A-Za-z_$][\w$]*)\.([\w$]*)$/);
    if (!match) return null;
    const [, param, prefix] = /([A-Za-z_$][\w$]*)\.([\w$]*)$/.exec(match.text)!;
    const table = rowTable(context.state, match.from, param);
    const columns = table ? schema.tables[table] : undefined;
    if (!columns) return null;
    return {
      from: context.pos - prefix.length,
      options: columns.map((c) => ({ label: c.name, type: 'property', detail: `${c.type.toLowerCase()} · ${table}`, boost: 3 })),
      validFor: /^[\w$]*$/,
    };
  };
}

/**
 * The table whose rows `param` stands for at `pos`: the enclosing arrow (or function) that takes
 * `param`, the Arquero verb call it is an argument of, and the name that call chain starts from.
 */
export function rowTable(state: EditorState, pos: number, param: string): string | null {
  let node: SyntaxNode | null = syntaxTree(state).resolveInner(pos, 1);
  while (node && !(isFunction(node) && takes(state, node, param))) node = node.parent;
  if (!node) return null;
  let call: SyntaxNode | null = node.parent;
  while (call && call.name !== 'CallExpression') {
    if (!['ArgList', 'Property', 'ObjectExpression', 'ArrayExpression', 'CallExpression'].includes(call.name) && !call.name.startsWith('(')) return null;
    call = call.parent;
  }
  if (!call) return null;
  // aq.escape((d) => ...) and op.* wrap the function: the verb is one call further out
  const callee = call.firstChild;
  if (callee?.name === 'MemberExpression' && ['escape'].includes(propertyOf(state, callee) ?? '')) {
    return rowTableOfCall(state, call.parent?.parent ?? null);
  }
  return rowTableOfCall(state, call);
}

function rowTableOfCall(state: EditorState, call: SyntaxNode | null): string | null {
  if (!call || call.name !== 'CallExpression') return null;
  const callee = call.firstChild;
  if (callee?.name !== 'MemberExpression' || !ROW_VERBS.has(propertyOf(state, callee) ?? '')) return null;
  let object: SyntaxNode | null = callee.firstChild;
  while (object && (object.name === 'CallExpression' || object.name === 'MemberExpression')) object = object.firstChild;
  return object?.name === 'VariableName' ? state.sliceDoc(object.from, object.to) : null;
}

function isFunction(node: SyntaxNode): boolean {
  return node.name === 'ArrowFunction' || node.name === 'FunctionExpression';
}

function takes(state: EditorState, fn: SyntaxNode, param: string): boolean {
  const params = fn.getChild('ParamList') ?? fn.getChild('VariableDefinition');
  if (!params) return false;
  if (params.name === 'VariableDefinition') return state.sliceDoc(params.from, params.to) === param;
  const first = params.getChild('VariableDefinition');
  return first !== null && state.sliceDoc(first.from, first.to) === param;
}

function propertyOf(state: EditorState, member: SyntaxNode): string | null {
  const property = member.getChild('PropertyName');
  return property ? state.sliceDoc(property.from, property.to) : null;
}

/** Hovering `d.column` in a row function shows the column's type; hovering a cell's name says what it is. */
function jsHover(schema: LiveSchema): Extension {
  return hoverTooltip((view, pos): Tooltip | null => {
    const node = syntaxTree(view.state).resolveInner(pos, 1);
    let text: string | null = null;
    if (node.name === 'PropertyName' && node.parent?.name === 'MemberExpression') {
      const object = node.parent.firstChild;
      if (object?.name === 'VariableName') {
        const table = rowTable(view.state, object.from, view.state.sliceDoc(object.from, object.to));
        const column = table ? schema.tables[table]?.find((c) => c.name === view.state.sliceDoc(node.from, node.to)) : undefined;
        if (column) text = `${column.name}: ${column.type.toLowerCase()} · ${table}`;
      }
    } else if (node.name === 'VariableName') {
      const name = view.state.sliceDoc(node.from, node.to);
      const known = schema.names.find((n) => n.name === name && n.kind !== 'builtin');
      if (known) text = schema.tables[name] ? `${name}: ${schema.origins[name] ?? 'table'}, columns ${schema.tables[name].map((c) => c.name).join(', ')}` : `${name}: ${known.kind === 'input' ? 'an input' : 'a value another cell defines'}`;
    }
    if (!text) return null;
    const shown = text;
    return {
      pos: node.from, end: node.to, above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'cb-hover';
        dom.textContent = shown;
        return { dom };
      },
    };
  });
}
