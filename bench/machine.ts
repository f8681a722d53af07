import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The machine a benchmark ran on, as printed above its results. */
export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  os: string;
  node: string;
  /** The 1, 5 and 15 minute load averages when the benchmark started: other work skews timings. */
  load_average: number[];
  /** The same when it ended. */
  load_average_end?: number[];
  packages: Record<string, string>;
}

function installedVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/**
 * Describes this machine and the versions of the libraries being timed.
 *
 * @example
 * describeMachine().cores; // 2
 */
export function describeMachine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memory_gb: Math.round(totalmem() / 2 ** 30 * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    load_average: loadavg().map((load) => Math.round(load * 100) / 100),
    packages: Object.fromEntries(['@duckdb/duckdb-wasm', '@duckdb/node-api', 'arquero', 'apache-arrow', 'parquet-wasm']
      .map((name) => [name, installedVersion(name)])),
  };
}
