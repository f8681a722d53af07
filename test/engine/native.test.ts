import { createNodeEngine } from '../../src/engine/node.ts';
import { testEngineAndLoaders } from './engine-suite.ts';

testEngineAndLoaders('native DuckDB', () => createNodeEngine('native'));
