import { createNodeEngine } from '../../src/engine/node.ts';
import { testEngineAndLoaders } from './engine-suite.ts';
import { testSqlParsing } from './parse-suite.ts';
import { testEngineLockdown } from './lockdown-suite.ts';

testEngineAndLoaders('native DuckDB', () => createNodeEngine('native'));
testEngineLockdown('native DuckDB', () => createNodeEngine('native'));
testSqlParsing('native DuckDB', () => createNodeEngine('native'));
