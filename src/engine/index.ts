// The engine layer: databases, loaders and the SQL dialect. Knows nothing of notebooks.
// Node-only factories live in ./node.ts and the browser's worker engine in ./browser.ts.
export {
  QueryError, QueryCancelledError, databaseMessage,
  type Engine, type EngineKind, type QueryOptions, type SqlValue, type JsonFieldType,
} from './engine.ts';
export { quoteIdent, quoteString } from './sql.ts';
export { splitStatements, type ParsedSql, type SqlStatement } from './sql-parse.ts';
export { arrowFromIPC, arrowToIPC } from './arrow-io.ts';
export { profileColumn, profileKind, type ColumnProfile, type ProfileKind, type ProfileOptions } from './column-profile.ts';
export { LoadError, databaseReason } from './load/load-error.ts';
export { sourceSlug, freeSourceName, sourceNameProblem, cellTableProblem } from './load/source-name.ts';
export { detectFormat, type FileFormat } from './load/file-format.ts';
export { estimateLoadMemory, formatBytes, isOutOfMemory, TAB_MEMORY_BYTES, LOAD_FACTORS, GZIP_RATIO, type MemoryEstimate } from './load/memory-estimate.ts';
export { detectEncoding, parseEncoding, toUtf8, TEXT_ENCODINGS, ENCODING_NAMES, type TextEncoding } from './load/text-encoding.ts';
export {
  EventImport, FILE_COLUMN, type FileInspection, type InspectedColumn, type ImportChoices, type ImportPreview, type ImportOptions,
} from './load/event-import.ts';
export {
  resolveMapping, parseMappingOverrides, formatMapping, guessMapping, mappingHint,
  type ColumnMapping, type ColumnSource, type MappingOverrides, type CanonicalColumn,
} from './load/column-mapping.ts';
export { timestampExpression, type TimestampRule } from './load/timestamp-rule.ts';
export {
  loadEvents, activateSource, removeSource, asLoadError, EVENTS_CATALOG,
  type EventFile, type LoadOptions, type LoadSummary, type SourceColumn,
} from './load/load-events.ts';
