// Measures what loading an event log costs DuckDB-WASM in memory, for the factors in
// src/engine/load/memory-estimate.ts: `npx tsx scripts/measure-load-memory.ts FILE [--map event=:purchase]`.
// Prints the file's size, its decompressed size and the peak rise of the process's memory while it
// loads (the file's own bytes are read before the first measurement).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadEvents, parseMappingOverrides } from '../src/engine/index.ts';
import { createNodeEngine } from '../src/engine/node.ts';

const [path, flag, map] = process.argv.slice(2);
if (!path) throw new Error('usage: tsx scripts/measure-load-memory.ts FILE [--map MAPPING]');
const bytes = new Uint8Array(readFileSync(path));
const plain = path.endsWith('.gz') ? gunzipSync(bytes).length : bytes.length;
const engine = await createNodeEngine('wasm');
const before = process.memoryUsage().rss;
let peak = before;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
await loadEvents(engine, { name: basename(path), bytes }, { mapping: flag === '--map' && map ? parseMappingOverrides(map) : {} });
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(JSON.stringify({ file: basename(path), bytes: bytes.length, decompressed: plain, peak_rise: peak - before, per_byte: +((peak - before) / plain).toFixed(2) }));
await engine.close();
