/**
 * Room for chart text, worked out before Plot draws (Plot does not measure text): estimated label
 * widths, which band-axis labels to show so that none overlap, and where bar-end labels go so
 * that none runs past the chart's edge.
 */

/** Plot's width when a chart is given none. */
export const DEFAULT_WIDTH = 640;

/**
 * A generous estimate of a label's width in pixels at Plot's sans-serif `fontSize` (10 px by
 * default): about 0.62 em a character, a little more than digits and most letters take.
 *
 * @example
 * textWidth('2024-01-01'); // 62
 */
export function textWidth(text: string, fontSize = 10): number {
  return Math.ceil(text.length * 0.62 * fontSize);
}

/**
 * The values of a band axis to label so that labels of `labelWidth` pixels (with a gap) do not
 * overlap over `innerWidth` pixels: every value when they fit, else every k-th from the first.
 *
 * @example
 * bandTicks(weeks, 560, 62); // every 2nd week of 12; every 7th of 53
 */
export function bandTicks<T>(domain: readonly T[], innerWidth: number, labelWidth: number): T[] {
  const step = innerWidth / Math.max(1, domain.length);
  const every = Math.max(1, Math.ceil((labelWidth + 8) / step));
  return domain.filter((_, i) => i % every === 0);
}

/** Where each horizontal bar's label goes, and the right margin that keeps the outside ones in. */
export interface BarLabelLayout {
  /** Per bar: inside its end (right-aligned, on the bar's colour) or just past it. */
  inside: boolean[];
  marginRight: number;
}

/**
 * Lays out the labels at the ends of horizontal bars (values from 0) on a chart `width` pixels
 * wide with `marginLeft`: a label goes inside its bar when it fits there (and `insideAllowed`),
 * otherwise past the bar's end, and the right margin grows until every outside label ends inside
 * the chart.
 *
 * @example
 * const { inside, marginRight } = barLabelLayout([250000, 120000], ['250,000', '120,000 · 48 %'], { width: 640, marginLeft: 140 });
 */
export function barLabelLayout(
  values: readonly number[], labels: readonly string[],
  options: { width: number; marginLeft: number; insideAllowed?: boolean; fontSize?: number },
): BarLabelLayout {
  const max = Math.max(...values, 0);
  const widths = labels.map((label) => textWidth(label, options.fontSize));
  const span = options.width - options.marginLeft;
  let marginRight = 12;
  let inside = values.map(() => false);
  for (let round = 0; round < 4; round++) {
    const bar = (i: number) => (max > 0 ? (values[i] / max) * (span - marginRight) : 0);
    inside = values.map((_, i) => options.insideAllowed !== false && bar(i) >= widths[i] + 12);
    // past the end: the bar, a 4 px gap and the label must end before the chart's edge
    const needed = values.map((v, i) => {
      if (inside[i] || max <= 0) return inside[i] ? 12 : widths[i] + 8;
      const f = v / max;
      return f === 0 ? 12 : Math.max(12, span - (span - 8 - widths[i]) / f);
    });
    const next = Math.min(Math.ceil(Math.max(12, ...needed)), Math.floor(span / 2));
    if (next === marginRight) break;
    marginRight = next;
  }
  return { inside, marginRight };
}
