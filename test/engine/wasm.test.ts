import { createNodeEngine } from '../../src/engine/node.ts';
import { testEngineAndLoaders } from './engine-suite.ts';
import { testSqlParsing } from './parse-suite.ts';
import { testEngineLockdown } from './lockdown-suite.ts';

testEngineAndLoaders('DuckDB-WASM (Node)', () => createNodeEngine('wasm'));
testEngineLockdown('DuckDB-WASM (Node)', () => createNodeEngine('wasm'));
testSqlParsing('DuckDB-WASM (Node)', () => createNodeEngine('wasm'));
