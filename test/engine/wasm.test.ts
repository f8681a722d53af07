import { createNodeEngine } from '../../src/engine/node.ts';
import { testEngineAndLoaders } from './engine-suite.ts';

testEngineAndLoaders('DuckDB-WASM (Node)', () => createNodeEngine('wasm'));
