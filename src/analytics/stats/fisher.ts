/**
 * Fisher's exact test for a 2 × 2 table, two-sided, written here because no installed package
 * has it (the registry's `@stdlib` hypergeometric PMF would still need the sum below). The table
 * is [[a, b], [c, d]]; the p-value is the total probability, under the hypergeometric law with the
 * table's margins, of every table no more likely than the one seen (R's `fisher.test`, with the
 * same 1e-7 relative tolerance for ties in probability).
 */

/** ln(n!) by summing logs below 256 (exact to rounding), Stirling's series above. */
const LOG_FACTORIALS: number[] = [0];
for (let n = 1; n < 256; n++) LOG_FACTORIALS[n] = LOG_FACTORIALS[n - 1] + Math.log(n);

function logFactorial(n: number): number {
  if (n < 256) return LOG_FACTORIALS[n];
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3) + 1 / (1260 * n ** 5);
}

/**
 * The two-sided p-value of Fisher's exact test on [[a, b], [c, d]].
 *
 * @example
 * fisherExact(3, 1, 1, 3) // 0.4857142857142857
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  if (n === 0) return 1;
  const logConstant = logFactorial(row1) + logFactorial(c + d) + logFactorial(col1) + logFactorial(b + d) - logFactorial(n);
  const logP = (x: number) => logConstant - logFactorial(x) - logFactorial(row1 - x) - logFactorial(col1 - x) - logFactorial(n - row1 - col1 + x);
  const seen = logP(a);
  let p = 0;
  for (let x = Math.max(0, row1 + col1 - n); x <= Math.min(row1, col1); x++) {
    const lp = logP(x);
    if (lp <= seen + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}
