import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { SQLDialect, StandardSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { hoverTooltip, type Tooltip } from '@codemirror/view';
import type { Extension, EditorState } from '@codemirror/state';
import type { LiveSchema, SchemaColumn } from './live-schema.ts';

/** A SQL cell's language: DuckDB's keywords and functions, the live schema's tables and columns. */
export function sqlLanguage(schema: LiveSchema): Extension {
  const dialect = duckdbDialect(schema);
  const namespace: Record<string, SQLNamespace> = {};
  for (const [table, columns] of Object.entries(schema.tables)) {
    namespace[table] = {
      self: { label: table, type: 'type', detail: schema.origins[table] ?? 'table' },
      children: columns.map((c) => columnCompletion(c)),
    };
  }
  const support = sql({
    dialect,
    schema: namespace,
    defaultTable: schema.tables.events ? 'events' : undefined,
    upperCaseKeywords: true,
    // DuckDB's functions as it names them (lower case), keywords in capitals
    keywordCompletion: (label, type) => (type === 'variable' ? { label: label.toLowerCase(), type: 'function', detail: 'function' } : { label, type }),
  });
  return [
    support,
    dialect.language.data.of({ autocomplete: eventNameSource(schema) }),
    dialect.language.data.of({ autocomplete: fromTableColumnsSource(schema) }),
    dialect.language.data.of({ autocomplete: inputNameSource(schema) }),
    sqlHover(schema),
  ];
}

const dialects = new Map<string, SQLDialect>();

/** DuckDB's dialect as the engine reports it; StandardSQL's words until the engine has answered. */
function duckdbDialect(schema: LiveSchema): SQLDialect {
  const key = `${schema.keywords.length}:${schema.functions.length}`;
  let dialect = dialects.get(key);
  if (!dialect) {
    const keywords = schema.keywords.length ? schema.keywords.map((k) => k.toLowerCase()).join(' ') : StandardSQL.spec.keywords;
    dialect = SQLDialect.define({
      ...StandardSQL.spec,
      keywords,
      builtin: schema.functions.filter((f) => /^[a-z_][a-z0-9_]*$/.test(f)).join(' '),
      doubleQuotedStrings: false,
    });
    dialects.set(key, dialect);
  }
  return dialect;
}

function columnCompletion(column: SchemaColumn, boost = 0): Completion {
  return { label: column.name, type: 'property', detail: column.type.toLowerCase(), boost };
}

/** Inside quotes after `event =` (or `event IN (`, `event <>`): the log's own event names. */
function eventNameSource(schema: LiveSchema): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const match = /\bevent\s*(?:=|!=|<>|\bin\s*\((?:\s*'[^']*'\s*,)*)\s*'([^']*)$/i.exec(before);
    if (!match) return null;
    return {
      from: context.pos - match[1].length,
      options: schema.events.map((event) => ({ label: event, type: 'constant', detail: 'event' })),
      validFor: /^[^']*$/,
    };
  };
}

/**
 * Columns of the tables a query names after FROM or JOIN, offered unqualified (lang-sql does that
 * only for its default table, `events`).
 */
function fromTableColumnsSource(schema: LiveSchema): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[A-Za-z_][\w]*/);
    if (!word && !context.explicit) return null;
    if (/[.'"]$/.test(context.state.sliceDoc(Math.max(0, (word?.from ?? context.pos) - 1), word?.from ?? context.pos))) return null;
    const options: Completion[] = [];
    for (const table of namedTables(context.state)) {
      if (table === 'events') continue;
      for (const column of schema.tables[table] ?? []) options.push({ ...columnCompletion(column, 1), detail: `${column.type.toLowerCase()} · ${table}` });
    }
    return options.length ? { from: word?.from ?? context.pos, options, validFor: /^\w*$/ } : null;
  };
}

/** `${` in a SQL cell: the names of the notebook's inputs (and other values), bound as parameters. */
function inputNameSource(schema: LiveSchema): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const match = context.matchBefore(/\$\{\w*/);
    if (!match) return null;
    const values = schema.names.filter((n) => n.kind === 'input' || n.kind === 'value');
    return { from: match.from + 2, options: values.map((n) => ({ label: n.name, type: 'variable', detail: n.kind })), validFor: /^\w*$/ };
  };
}

/** The tables a query names after FROM or JOIN (and their aliases), in order. */
function namedTables(state: EditorState): string[] {
  const text = state.doc.toString();
  return [...new Set([...text.matchAll(/\b(?:from|join)\s+("?)([A-Za-z_][\w]*)\1/gi)].map((m) => m[2]))];
}

/** Hovering a column name shows its type and table; a table name shows where it comes from. */
function sqlHover(schema: LiveSchema): Extension {
  return hoverTooltip((view, pos): Tooltip | null => {
    const { from, to, text } = view.state.doc.lineAt(pos);
    let start = pos - from;
    let end = pos - from;
    while (start > 0 && /\w/.test(text[start - 1])) start--;
    while (end < text.length && /\w/.test(text[end])) end++;
    if (start === end) return null;
    const word = text.slice(start, end);
    const describe = hoverText(schema, word, namedTables(view.state));
    if (!describe) return null;
    return {
      pos: from + start,
      end: Math.min(to, from + end),
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'cb-hover';
        dom.textContent = describe;
        return { dom };
      },
    };
  });
}

/**
 * What hovering a word in a SQL cell says: `platform: varchar (events)` for a column of a table the
 * query reads (events when it names none), or where a table comes from.
 *
 * @example
 * hoverText(schema, 'platform', ['events']); // 'platform: varchar · events'
 */
export function hoverText(schema: LiveSchema, word: string, tables: string[]): string | null {
  if (schema.tables[word]) return `${word}: ${schema.origins[word] ?? 'table'}, ${schema.tables[word].length} columns`;
  const candidates = [...tables.filter((t) => schema.tables[t]), ...(schema.tables.events ? ['events'] : [])];
  for (const table of candidates) {
    const column = schema.tables[table].find((c) => c.name === word);
    if (column) return `${column.name}: ${column.type.toLowerCase()} · ${table}`;
  }
  return null;
}
