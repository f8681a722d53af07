// The fields of each analysis's spec, read from the TypeScript source: name, type and TSDoc.
// The docs pages' field tables come from here, so a field added to a spec shows up in its page.
import ts from 'typescript';
import { join } from 'node:path';

/**
 * What a field means where its spec type has no TSDoc for it, by `kind.field` or by field name.
 * (A field's own TSDoc comes first: document a new field there.)
 */
const FIELD_NOTES: Record<string, string> = {
  where: 'Filters `{column, op, value}` applied to the events before anything is counted; see [filters](README.md#filters).',
  period: 'The calendar period counted in.',
  week_start: 'The first day of a week period: `monday` or `sunday`.',
  timezone: 'The IANA time zone whose calendar the periods and dates follow, e.g. `Europe/London`.',
  date_from: 'First local date of the range (`YYYY-MM-DD`).',
  date_to: 'Last local date of the range, inclusive.',
  'funnel.window_seconds': 'How long after the step-1 event a person has to do the later steps (inclusive).',
  'funnel.breakdown': 'A column whose value splits the funnel into one funnel per value.',
  'funnel.hold': 'A column every step of an attempt must carry the same value of (the same product, plan, ...).',
  'funnel.date_from': 'First local date step 1 may fall on; null for the first event in the log.',
  'funnel.date_to': 'Last local date step 1 may fall on (later steps may go past it, within the window); null for the last event.',
  'ab_test.exposure_event': 'From events: the event that puts a person in the experiment.',
  'ab_test.conversion_event': 'From events: the event that counts as a conversion after exposure.',
  'ab_test.variant_column': 'From events: the column of the exposure event naming the person\'s variant.',
  'ab_test.window_seconds': 'From events: how long after exposure a conversion counts; null for any time after.',
  'ab_test.control': 'The variant the others are compared with; null for the first.',
  'ltv.revenue_event': 'The event whose revenue counts; null for the revenue of every event.',
  'ltv.arpu': 'CLV mode: average revenue per user and period, given by hand; null to measure it in the events.',
  'ltv.churn_rate': 'CLV mode: churn per period, given by hand; null to measure it in the events (or to use `lifetime_periods`).',
  'ltv.lifetime_periods': 'CLV mode: the average lifetime in periods, given by hand instead of 1 ÷ churn.',
  'ltv.gross_margin': 'The share of revenue kept, from 0 to 1.',
  'ltv.cac': 'Acquisition cost per customer, for LTV/CAC and the payback period; null without one.',
  'survey.column': 'The column holding each answer (a number).',
  'survey.scale': '`nps`: answers 0–10, Net Promoter Score; `csat`: answers 1–5, share satisfied.',
  purchase_event: 'The event that is a purchase.',
  'rfm.timezone': 'The IANA time zone `as_of` is a local date in.',
};

/** One field of a spec as the docs show it. */
export interface SpecField {
  name: string;
  type: string;
  /** The field's TSDoc, else the TSDoc of its type; empty when neither has one. */
  doc: string;
}

/** `ab_test` → `AbTestSpec`: the name each analysis module exports its spec type under. */
export function specTypeName(kind: string): string {
  return `${kind.split('_').map((part) => part[0].toUpperCase() + part.slice(1)).join('')}Spec`;
}

const readers = new Map<string, { fields(kind: string): SpecField[] }>();

/** Reads the analytics layer's exported spec types once; `fields(kind)` then lists a spec's fields. */
export function specFieldReader(root: string): { fields(kind: string): SpecField[] } {
  if (!readers.has(root)) readers.set(root, readSpecTypes(root));
  return readers.get(root)!;
}

function readSpecTypes(root: string): { fields(kind: string): SpecField[] } {
  const entry = join(root, 'src', 'analytics', 'index.ts');
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true, noEmit: true, strict: true, skipLibCheck: true, types: [],
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const exported = new Map(checker.getExportsOfModule(module).map((symbol) => [symbol.name, symbol]));
  const docOf = (symbol: ts.Symbol | undefined) => (symbol ? ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim() : '');

  /** Every property of a type, through intersections and each member of a union (`ab_test`'s two shapes). */
  const properties = (type: ts.Type): ts.Symbol[] =>
    type.isUnionOrIntersection() ? type.types.flatMap(properties) : checker.getPropertiesOfType(type);

  return {
    fields(kind) {
      const symbol = exported.get(specTypeName(kind));
      if (!symbol) throw new Error(`src/analytics exports no ${specTypeName(kind)} for the "${kind}" analysis`);
      const type = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(symbol));
      const seen = new Map<string, SpecField>();
      for (const property of properties(type)) {
        if (property.name === 'kind' || seen.has(property.name)) continue;
        const propertyType = checker.getTypeOfSymbol(property);
        const element = checker.isArrayType(propertyType) ? checker.getTypeArguments(propertyType as ts.TypeReference)[0] : propertyType;
        const named = checker.getNonNullableType(element);
        const own = docOf(property);
        const note = FIELD_NOTES[`${kind}.${property.name}`] ?? FIELD_NOTES[property.name];
        // a named type's TSDoc describes a field only when the type is the spec's own (FunnelStep, Filter)
        const typeDoc = /^(Funnel|Variant|Filter)/.test(named.aliasSymbol?.name ?? named.getSymbol()?.name ?? '') ? docOf(named.aliasSymbol ?? named.getSymbol()) : '';
        seen.set(property.name, {
          name: property.name,
          type: checker.typeToString(propertyType, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias),
          doc: own || note || typeDoc,
        });
      }
      return [...seen.values()];
    },
  };
}
