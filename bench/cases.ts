import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchCase } from './bench-case.ts';

/** The folder whose every `*.ts` file `export default`s a `BenchCase`. */
export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'cases');

/** Where a case comes from: its id (file name without `.ts`) and file. */
export interface CaseRef {
  id: string;
  file: string;
}

/** A case file's `BenchCase`, with its id. */
export interface NamedCase extends CaseRef {
  bench: BenchCase;
}

/** Every case file in `dir`, `load` first, then alphabetical. */
export function caseRefs(dir = CASES_DIR): CaseRef[] {
  return readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => ({ id: file.slice(0, -3), file: join(dir, file) }))
    .sort((a, b) => (a.id === 'load' ? -1 : b.id === 'load' ? 1 : a.id.localeCompare(b.id)));
}

/**
 * Chooses cases from `--cases`: ids of files in `bench/cases/`, or paths of other case files
 * (ending in `.ts`, e.g. a case being written in `scratch/`); all of `bench/cases/` when absent.
 *
 * @example
 * selectCases(caseRefs(), 'load,scratch/distinct-users.ts');
 */
export function selectCases(all: readonly CaseRef[], wanted: string | undefined): CaseRef[] {
  if (!wanted) return [...all];
  return wanted.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    if (entry.endsWith('.ts')) {
      const file = resolve(entry);
      if (!existsSync(file)) throw new Error(`--cases: no case file ${file}`);
      return { id: basename(entry, '.ts'), file };
    }
    const ref = all.find((c) => c.id === entry);
    if (!ref) throw new Error(`--cases: no case file bench/cases/${entry}.ts (cases: ${all.map((c) => c.id).join(', ')})`);
    return ref;
  });
}

/**
 * Imports case files, checking that each `export default`s a `BenchCase`.
 *
 * @example
 * const [retention] = await loadCases(selectCases(caseRefs(), 'retention'));
 * retention.bench.spec.kind; // 'retention'
 */
export async function loadCases(refs: readonly CaseRef[]): Promise<NamedCase[]> {
  const cases: NamedCase[] = [];
  for (const ref of refs) {
    const bench = (await import(pathToFileURL(ref.file).href) as { default?: BenchCase }).default;
    if (!bench || typeof bench.name !== 'string' || !bench.spec || typeof bench.spec.kind !== 'string') {
      throw new Error(`bench case ${ref.file}: its default export must be a BenchCase ({name, spec: {kind, ...}, arquero?})`);
    }
    cases.push({ ...ref, bench });
  }
  return cases;
}
