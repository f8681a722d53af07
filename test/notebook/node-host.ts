import { readFile } from 'node:fs/promises';
import type { Engine } from '../../src/engine/index.ts';
import { loadEvents } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { createEngineHost, type RuntimeHost } from '../../src/notebook/index.ts';

/**
 * A `RuntimeHost` over DuckDB-WASM in this Node process: the app's own engine host
 * (`createEngineHost`: SQL → Arquero, `CREATE OR REPLACE TABLE`, Arquero → DuckDB via
 * `aq.toArrowIPC` + `engine.insertArrow`, `runAnalysis`, builtins `aq`, `Plot`, `sql`, analyses)
 * on the same WebAssembly build the browser runs.
 */
export async function createNodeHost(): Promise<{ engine: Engine; host: RuntimeHost }> {
  const engine = await createNodeEngine('wasm');
  const host: RuntimeHost = createEngineHost(engine);
  return { engine, host };
}

/** Loads the shipped sample log (`public/samples/shop-events.csv`) as the `events` view. */
export async function loadSampleLog(engine: Engine): Promise<void> {
  const bytes = new Uint8Array(await readFile('public/samples/shop-events.csv'));
  await loadEvents(engine, { name: 'shop-events.csv', bytes });
}
