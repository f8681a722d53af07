import { seededRandom } from '../../src/notebook/teaching-data/random.ts';

/**
 * A seeded source of random numbers (mulberry32), so that a seed always gives the same event log
 * on every machine and Node version: `Math.random` cannot be seeded.
 *
 * @example
 * const random = new Random(42);
 * random.uniform(); // 0.6011037519201636, every time
 */
export class Random {
  private readonly next: () => number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** A number in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal deviate (Box–Muller; the second deviate of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An exponential deviate with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.uniform()) * mean;
  }

  /** A geometric count >= 1 with the given mean (>= 1). */
  geometric(mean: number): number {
    const p = 1 / mean;
    return 1 + Math.floor(Math.log(1 - this.uniform()) / Math.log(1 - p + 1e-12));
  }
}
