import { describe, expect, test } from 'vitest';
import { defaultChart, pathsSankey, readableSeconds, SPEC_PATCH_EVENT } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const edge = (step: number, source: string, target: string, sessions: number, other = false) => ({ step, source, target, sessions, people: sessions - 1, avg_seconds: 90 * step, other });
const ROWS = [
  edge(1, 'add_to_cart', 'checkout', 40), edge(1, 'add_to_cart', 'view_item', 12), edge(1, 'add_to_cart', 'other', 5, true),
  edge(2, 'checkout', 'purchase', 30), edge(2, 'checkout', 'open_help', 4), edge(2, 'view_item', 'add_to_cart', 6),
  edge(3, 'purchase', 'open_help', 3),
];

describe('paths Sankey', () => {
  test('one column per step, nodes and links as wide as their sessions, hover details', () => {
    const chart = pathsSankey(ROWS, { document: plotDocument() });
    expectPlotSnapshot('paths-sankey', chart);
    const nodes = [...chart.querySelectorAll('g[aria-label="node"] rect')];
    // step 1: add_to_cart; 2: checkout, view_item, other; 3: purchase, open_help, add_to_cart; 4: open_help
    expect(nodes).toHaveLength(8);
    const columns = new Map<string, Set<string>>();
    for (const n of nodes) {
      const x = n.getAttribute('x')!;
      if (!columns.has(x)) columns.set(x, new Set());
      columns.get(x)!.add(n.getAttribute('data-step')!);
    }
    expect([...columns.values()].map((s) => [...s])).toEqual([['1'], ['2'], ['3'], ['4']]);
    const links = [...chart.querySelectorAll('g[aria-label="link"] path')];
    expect(links).toHaveLength(7);
    const width = (i: number) => Number(links[i].getAttribute('stroke-width'));
    expect(width(0) / width(1)).toBeCloseTo(40 / 12, 5);
    expect(links[0].querySelector('title')?.textContent).toBe('add_to_cart → checkout (step 1 → 2)\n40 sessions · 39 people · 1.5 min on average');
    expect(chart.querySelector('rect[data-name="add_to_cart"][data-step="1"] title')?.textContent).toBe('add_to_cart (step 1): 57 sessions');
    // "other" is not a point a path can start or end at
    expect(chart.querySelector('rect[data-name="other"]')?.getAttribute('role')).toBeNull();
  });

  test('clicking a node offers start here / end here, which ask to rewrite the spec', () => {
    const doc = plotDocument();
    const chart = defaultChart('paths', { rows: ROWS, meta: { sessions: 70, people: 61 }, document: doc })!;
    doc.body.append(chart);
    expect(chart.querySelector('figcaption')?.textContent).toMatch(/^70 sessions of 61 people; /);
    const patches: unknown[] = [];
    doc.body.addEventListener(SPEC_PATCH_EVENT, (e) => patches.push((e as CustomEvent).detail));
    const checkout = chart.querySelector('rect[data-name="checkout"]')!;
    checkout.dispatchEvent(new doc.defaultView!.MouseEvent('click', { bubbles: true }));
    const items = [...chart.querySelectorAll('.cb-node-menu [role="menuitem"]')];
    expect(items.map((b) => b.textContent)).toEqual(['Start here (checkout)', 'End here (checkout)']);
    (items[1] as HTMLButtonElement).click();
    expect(patches).toEqual([{ end_event: 'checkout' }]);
    expect(chart.querySelector('.cb-node-menu')).toBeNull();
    // the keyboard: Enter on a focused node opens the menu, Escape closes it
    const purchase = chart.querySelector('rect[data-name="purchase"]')!;
    purchase.dispatchEvent(new doc.defaultView!.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    (chart.querySelector('.cb-node-menu [role="menuitem"]') as HTMLButtonElement).click();
    expect(patches).toEqual([{ end_event: 'checkout' }, { start_event: 'purchase' }]);
  });

  test('grey links show the sessions that end at a node, but not at the last step', () => {
    const nodes = [
      { step: 1, name: 'add_to_cart', sessions: 70 }, { step: 2, name: 'checkout', sessions: 40 }, { step: 2, name: 'view_item', sessions: 12 },
      { step: 3, name: 'purchase', sessions: 30 }, { step: 4, name: 'open_help', sessions: 3 },
    ];
    const chart = defaultChart('paths', { rows: ROWS, meta: { sessions: 70, people: 61, nodes, spec: { steps: 4, end_event: null } }, document: plotDocument() })!;
    const ends = [...chart.querySelectorAll('g[aria-label="link"] path[data-ends]')].map((p) => p.querySelector('title')?.textContent);
    // add_to_cart: 70 reach it, 57 leave; checkout 40 → 34; view_item 12 → 6; purchase 30 → 3; open_help at step 4 is the last
    expect(ends).toEqual([
      '13 sessions end after add_to_cart (step 1)', '6 sessions end after checkout (step 2)',
      '6 sessions end after view_item (step 2)', '27 sessions end after purchase (step 3)',
    ]);
    expect(chart.querySelector('rect[data-name="add_to_cart"] title')?.textContent).toBe('add_to_cart (step 1): 70 sessions');
    expect(chart.querySelector('figcaption')?.textContent).toContain('grey links the sessions that end there');
    // with an end_event every path ends at it: no such links
    const toEnd = defaultChart('paths', { rows: ROWS, meta: { nodes, spec: { steps: 4, end_event: 'purchase' } }, document: plotDocument() })!;
    expect(toEnd.querySelectorAll('path[data-ends]')).toHaveLength(0);
  });

  test('times read as a person reads them', () => {
    expect([45, 210, 7200, 400_000].map(readableSeconds)).toEqual(['45 s', '3.5 min', '2.0 h', '4.6 d']);
  });
});
