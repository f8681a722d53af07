/**
 * The package in Node: every analysis (`runAnalysis` and each analysis module), the loaders and SQL
 * dialect, and the engines that run in this process: DuckDB-WASM or native DuckDB.
 *
 * @packageDocumentation
 * @module cohortbook
 */
export * from './analytics/index.ts';
export * from './engine/index.ts';
export { createNodeEngine } from './engine/node.ts';
export { readEventFile } from './cli/read-input.ts';
