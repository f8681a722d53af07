import * as Plot from '@observablehq/plot';

const SCHEMES = ['tableau10', 'set2', 'dark2', 'set1'] as const;
const SIZES = [10, 8, 8, 9];

/**
 * Up to 35 distinct colours for lines or nodes that need telling apart: Tableau's 10 first (Plot's
 * default), then ColorBrewer's Set2, Dark2 and Set1, so 25 breakdown values never share a colour.
 *
 * @example
 * categoricalColors(12).length // 18: Tableau's 10 and Set2's 8
 */
export function categoricalColors(count: number): string[] {
  const colors: string[] = [];
  for (const [i, scheme] of SCHEMES.entries()) {
    if (i > 0 && colors.length >= count) break;
    colors.push(...(Plot.scale({ color: { type: 'ordinal', scheme, domain: Array.from({ length: SIZES[i] }, (_, j) => j) } }).range as string[]));
  }
  return colors;
}
