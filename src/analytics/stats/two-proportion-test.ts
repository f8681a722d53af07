import { normalCdf, normalQuantile } from './normal.ts';

/** Users and conversions of one variant. */
export interface ProportionCounts {
  users: number;
  conversions: number;
}

/** A two-proportion z-test of variant B against variant A. */
export interface TwoProportionTest {
  rate_a: number;
  rate_b: number;
  /** rate_b − rate_a. */
  difference: number;
  /** The confidence interval of the difference, from the unpooled standard error. */
  ci_low: number;
  ci_high: number;
  /** z from the pooled standard error; 0 when both rates are equal. */
  z: number;
  /** Two-sided. */
  p_value: number;
  significant: boolean;
}

/**
 * The two-proportion z-test: z = (p_B − p_A) ÷ √(p̂(1 − p̂)(1/n_A + 1/n_B)) with the pooled rate p̂
 * (what the null hypothesis "same rate" implies), two-sided p = 2(1 − Φ(|z|)); the interval
 * (p_B − p_A) ± z_(1−α/2) √(p_A(1 − p_A)/n_A + p_B(1 − p_B)/n_B) uses the unpooled standard
 * error, as the difference need not be zero there. Significant when p < 1 − confidence.
 *
 * @example
 * twoProportionTest({ users: 10, conversions: 2 }, { users: 100, conversions: 10 }).p_value // 0.3336
 */
export function twoProportionTest(a: ProportionCounts, b: ProportionCounts, confidence = 0.95): TwoProportionTest {
  const rateA = a.conversions / a.users;
  const rateB = b.conversions / b.users;
  const difference = rateB - rateA;
  const pooled = (a.conversions + b.conversions) / (a.users + b.users);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / a.users + 1 / b.users));
  const z = pooledSe === 0 ? 0 : difference / pooledSe;
  const pValue = pooledSe === 0 ? 1 : Math.min(1, 2 * normalCdf(-Math.abs(z)));
  const se = Math.sqrt(rateA * (1 - rateA) / a.users + rateB * (1 - rateB) / b.users);
  const margin = normalQuantile(1 - (1 - confidence) / 2) * se;
  return {
    rate_a: rateA, rate_b: rateB, difference,
    ci_low: difference - margin, ci_high: difference + margin,
    z, p_value: pValue, significant: pValue < 1 - confidence,
  };
}
