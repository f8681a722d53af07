// `import { runAnalysis } from 'cohortbook'` in Node: every analysis, the loaders and SQL dialect,
// and the engines that run in this process (DuckDB-WASM or native DuckDB).
export * from './analytics/index.ts';
export * from './engine/index.ts';
export { createNodeEngine } from './engine/node.ts';
export { readEventFile } from './cli/read-input.ts';
