// Makes the benchmark's event logs: `npx tsx bench/generate.ts [--sizes 1m,10m] [--seed N] [--force]`.
// `npm run bench` calls `ensureDataset` itself, so running this first is optional.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateEventLog, type LogSize } from './generate/event-log.ts';
import { writeEventsCsv } from './generate/write-csv.ts';
import { eventsToParquet } from './generate/write-parquet.ts';

/** Where the generated files live (git-ignored). */
export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');

/** Bumped whenever the generator's output changes, so old files are made again. */
export const GENERATOR_VERSION = 2;
export const DEFAULT_SEED = 20240101;

/** The benchmark's log sizes, by the name used in file names and `--sizes`. */
export const SIZES: Record<string, LogSize> = {
  '1m': { events: 1_000_000, users: 200_000 },
  '10m': { events: 10_000_000, users: 1_000_000 },
};

/** One generated log: where its files are and what they hold. */
export interface DatasetManifest {
  generator: number;
  seed: number;
  size: string;
  events: number;
  users: number;
  parquet: { path: string; bytes: number; sha256: string };
  csv: { path: string; bytes: number; sha256: string };
  generated_seconds: number;
}

function manifestPath(size: string): string {
  return join(DATA_DIR, `events-${size}.manifest.json`);
}

function readManifest(size: string): DatasetManifest | null {
  try {
    return JSON.parse(readFileSync(manifestPath(size), 'utf8')) as DatasetManifest;
  } catch {
    return null;
  }
}

function isCurrent(manifest: DatasetManifest | null, size: string, seed: number): manifest is DatasetManifest {
  const wanted = SIZES[size];
  return manifest !== null && manifest.generator === GENERATOR_VERSION && manifest.seed === seed
    && manifest.events === wanted.events && manifest.users === wanted.users
    && [manifest.parquet, manifest.csv].every((file) => existsSync(file.path) && statSync(file.path).size === file.bytes);
}

/**
 * Makes `bench/data/events-<size>.parquet` and `.csv` unless files from the same generator, seed
 * and size are already there (checked against their manifest), and returns the manifest.
 *
 * @example
 * const { parquet } = await ensureDataset('1m');
 * parquet.path; // '/…/bench/data/events-1m.parquet'
 */
export async function ensureDataset(
  size: string, options: { seed?: number; force?: boolean; log?: (line: string) => void } = {},
): Promise<DatasetManifest> {
  const seed = options.seed ?? DEFAULT_SEED;
  const log = options.log ?? ((line: string) => console.error(line));
  if (!SIZES[size]) throw new Error(`unknown size "${size}" (known sizes: ${Object.keys(SIZES).join(', ')})`);
  const existing = readManifest(size);
  if (!options.force && isCurrent(existing, size, seed)) return existing;
  mkdirSync(DATA_DIR, { recursive: true });
  const started = performance.now();
  log(`generating ${size}: ${SIZES[size].events} events, ${SIZES[size].users} users, seed ${seed}`);
  const events = simulateEventLog(SIZES[size], seed);
  log(`  simulated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const parquetPath = join(DATA_DIR, `events-${size}.parquet`);
  const parquetBytes = await eventsToParquet(events);
  writeFileSync(parquetPath, parquetBytes);
  log(`  ${parquetPath}: ${(parquetBytes.length / 1e6).toFixed(1)} MB at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const csvPath = join(DATA_DIR, `events-${size}.csv`);
  const csv = writeEventsCsv(events, csvPath);
  log(`  ${csvPath}: ${(csv.bytes / 1e6).toFixed(1)} MB at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const manifest: DatasetManifest = {
    generator: GENERATOR_VERSION, seed, size, events: SIZES[size].events, users: SIZES[size].users,
    parquet: { path: parquetPath, bytes: parquetBytes.length, sha256: createHash('sha256').update(parquetBytes).digest('hex') },
    csv: { path: csvPath, ...csv },
    generated_seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  writeFileSync(manifestPath(size), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sizes: { type: 'string', default: Object.keys(SIZES).join(',') }, seed: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: "${values.seed}" is not an integer`);
  for (const size of values.sizes.split(',').map((s) => s.trim()).filter(Boolean)) {
    const manifest = await ensureDataset(size, { seed, force: values.force });
    console.log(JSON.stringify(manifest));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
