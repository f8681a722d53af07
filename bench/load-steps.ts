import type { Engine } from '../src/engine/index.ts';

/** One engine call made while loading, and how long it took. */
export interface LoadStep {
  step: string;
  ms: number;
}

const TIMED = new Set(['query', 'exec', 'registerFile', 'insertArrow', 'insertParquet', 'insertJSON']);

function label(method: string, args: unknown[]): string {
  const first = args[0];
  if ((method === 'query' || method === 'exec') && typeof first === 'string') {
    return first.replace(/\s+/g, ' ').trim().slice(0, 70);
  }
  return `${method}(${typeof first === 'string' ? first : ''})`;
}

/**
 * Wraps an engine so that every call of `query`, `exec`, `insertParquet`, ... is timed into
 * `steps`: where a load's time goes, step by step, through the loader's real code path.
 *
 * @example
 * const steps: LoadStep[] = [];
 * await loadEvents(recordSteps(engine, steps), file);
 */
export function recordSteps(engine: Engine, steps: LoadStep[]): Engine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !TIMED.has(property) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          steps.push({ step: label(property, args), ms: Math.round((performance.now() - started) * 10) / 10 });
        }
      };
    },
  });
}
