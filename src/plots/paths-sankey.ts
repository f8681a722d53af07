import { sankey, sankeyLeft, sankeyLinkHorizontal, type SankeyLink, type SankeyNode } from 'd3-sankey';
import { categoricalColors } from './categorical-colors.ts';
import { registerDefaultChart } from './default-chart.ts';

/** Options of `pathsSankey`; `document` renders outside a browser (jsdom in tests, the CLI). */
export interface PathsSankeyOptions {
  document?: Document;
  width?: number;
  height?: number;
  /** The person-sessions and people the paths count (the result's `meta.sessions` / `meta.people`), told in a caption. */
  sessions?: number;
  people?: number;
  /**
   * The sessions reaching each item at each step (`meta.nodes`): where fewer leave a node than
   * reach it, a grey link to "path ends" shows the rest (not at the last step, where `steps` cuts
   * the paths, nor with an `end_event`, where every path ends by design).
   */
  nodes?: readonly { step: number; name: string; sessions: number }[];
  /** The spec's `steps`, so the last step's nodes get no "path ends" link. */
  steps?: number;
}

/** What clicking a node's "start here" or "end here" asks for: the spec fields to set. */
export interface PathsSpecPatch {
  start_event?: string;
  end_event?: string;
}

/**
 * The event a paths chart dispatches (bubbling, composed) when a person picks "start here" or
 * "end here" on a node: `detail` is the spec patch. The notebook rewrites the cell's spec with it.
 */
export const SPEC_PATCH_EVENT = 'cb-spec-patch';

interface NodeDatum {
  id: string;
  step: number;
  name: string;
  other: boolean;
  sessions: number;
}
interface LinkDatum {
  source: string;
  target: string;
  value: number;
  people: number;
  avg_seconds: number;
}

const SVG = 'http://www.w3.org/2000/svg';

/** Seconds as a person reads them: 45 s, 3.5 min, 2.1 h, 3 d. */
export function readableSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

const count = (n: number) => n.toLocaleString('en-US');
const nodeId = (step: number, name: string, other: boolean) => `${step}\u0000${other ? '\u0001' : ''}${name}`;

/**
 * A Sankey diagram of paths rows: one column per step, nodes sized and links as wide as the
 * person-sessions through them; hovering shows sessions, people and the mean time; clicking a node
 * (or Enter on it) offers "start here" / "end here", which dispatch a `cb-spec-patch` event.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'paths', start_event: 'add_to_cart' });
 * document.body.append(pathsSankey(rows));
 */
export function pathsSankey(rows: readonly Record<string, unknown>[], options: PathsSankeyOptions = {}): Element {
  const doc = options.document ?? document;
  const steps = Math.max(...rows.map((r) => Number(r.step))) + 1;
  const width = options.width ?? Math.max(640, steps * 170);
  const nodes = new Map<string, NodeDatum>();
  const node = (step: number, name: string, other: boolean) => {
    const id = nodeId(step, name, other);
    if (!nodes.has(id)) nodes.set(id, { id, step, name, other, sessions: 0 });
    return id;
  };
  const links: LinkDatum[] = rows.map((r) => ({
    source: node(Number(r.step), String(r.source), false),
    target: node(Number(r.step) + 1, String(r.target), r.other === true),
    value: Number(r.sessions), people: Number(r.people), avg_seconds: Number(r.avg_seconds),
  }));
  for (const reached of options.nodes ?? []) {
    const id = nodeId(reached.step, reached.name, false);
    if (!nodes.has(id) || (options.steps !== undefined && reached.step >= options.steps)) continue;
    const leaving = links.filter((l) => l.source === id).reduce((sum, l) => sum + l.value, 0);
    if (reached.sessions <= leaving) continue;
    const end = `${reached.step + 1}\u0002end`;
    if (!nodes.has(end)) nodes.set(end, { id: end, step: reached.step + 1, name: 'path ends', other: true, sessions: 0 });
    links.push({ source: id, target: end, value: reached.sessions - leaving, people: Number.NaN, avg_seconds: Number.NaN });
  }
  const columns = Array.from({ length: steps }, (_, i) => [...nodes.values()].filter((n) => n.step === i + 1).length);
  const height = options.height ?? Math.max(260, Math.min(900, Math.max(...columns) * 42));
  const layout = sankey<NodeDatum, LinkDatum>().nodeId((d) => d.id).nodeAlign(sankeyLeft).nodeWidth(14).nodePadding(14)
    .extent([[1, 24], [width - 120, height - 6]]);
  const graph = layout({ nodes: [...nodes.values()].map((d) => ({ ...d })), links: links.map((d) => ({ ...d })) });
  const names = [...new Set(graph.nodes.filter((n) => !n.other && n.name !== '...').map((n) => n.name))];
  const palette = categoricalColors(names.length);
  const colorOf = (n: SankeyNode<NodeDatum, LinkDatum>) => (n.other || n.name === '...' ? '#9ca3af' : palette[names.indexOf(n.name) % palette.length]);

  const el = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent?: Element) => {
    const e = doc.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    parent?.append(e);
    return e;
  };
  const svg = el('svg', {
    width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'font-family': 'system-ui, sans-serif', 'font-size': 11,
    'aria-label': `paths over ${steps} steps: ${rows.length} edges`,
  });
  const headings = el('g', { 'aria-label': 'steps', fill: 'currentColor', 'fill-opacity': 0.6 }, svg);
  for (let step = 1; step <= steps; step++) {
    const x = graph.nodes.find((n) => n.step === step)?.x0;
    if (x === undefined) continue;
    el('text', { x, y: 12 }, headings).textContent = `step ${step}`;
  }
  const linkGroup = el('g', { 'aria-label': 'link', fill: 'none', 'stroke-opacity': 0.35 }, svg);
  const path = sankeyLinkHorizontal<NodeDatum, LinkDatum>();
  for (const link of graph.links as SankeyLink<NodeDatum, LinkDatum>[]) {
    const source = link.source as SankeyNode<NodeDatum, LinkDatum>;
    const target = link.target as SankeyNode<NodeDatum, LinkDatum>;
    const ends = target.id.endsWith('\u0002end');
    const p = el('path', {
      d: path(link) ?? '', stroke: ends ? '#d1d5db' : colorOf(source), 'stroke-width': Math.max(1, link.width ?? 1),
      ...(ends ? { 'data-ends': 'true' } : {}),
    }, linkGroup);
    el('title', {}, p).textContent = ends
      ? `${count(link.value)} sessions end after ${source.name} (step ${source.step})`
      : `${source.name} → ${target.name} (step ${source.step} → ${target.step})\n`
        + `${count(link.value)} sessions · ${count(link.people)} people · ${readableSeconds(link.avg_seconds)} on average`;
  }
  const nodeGroup = el('g', { 'aria-label': 'node' }, svg);
  const labels = el('g', { 'aria-label': 'label', fill: 'currentColor' }, svg);
  for (const n of graph.nodes) {
    const through = Math.max(n.value ?? 0, 0);
    const pickable = !n.other && n.name !== '...';
    const rect = el('rect', {
      x: n.x0!, y: n.y0!, width: n.x1! - n.x0!, height: Math.max(1, n.y1! - n.y0!), fill: colorOf(n),
      'data-step': n.step, 'data-name': n.name, ...(pickable ? { tabindex: 0, role: 'button', cursor: 'pointer' } : {}),
      'aria-label': `${n.name}, step ${n.step}: ${count(through)} sessions${pickable ? '; press Enter for start here or end here' : ''}`,
    }, nodeGroup);
    el('title', {}, rect).textContent = `${n.name} (step ${n.step}): ${count(through)} sessions${n.other ? ' (edges cut by min_sessions or max_edges)' : ''}`;
    const label = el('text', { x: n.x1! + 4, y: (n.y0! + n.y1!) / 2, dy: '0.35em' }, labels);
    label.textContent = `${n.name} ${count(through)}`;
  }
  const figure = doc.createElement('figure');
  figure.className = 'cb-paths-sankey';
  figure.style.cssText = 'position: relative; margin: 0;';
  figure.append(svg);
  if (options.sessions !== undefined) {
    const caption = doc.createElement('figcaption');
    caption.style.cssText = 'font-size: 12px; opacity: 0.75;';
    const people = options.people === undefined ? '' : ` of ${count(options.people)} ${options.people === 1 ? 'person' : 'people'}`;
    caption.textContent = `${count(options.sessions)} sessions${people}; a node's number is the sessions through it`
      + `${options.nodes ? ', grey links the sessions that end there' : ''}. In the notebook, click a node to start or end the paths there.`;
    figure.append(caption);
  }
  figure.addEventListener('click', (e) => pick(figure, e.target as Element, doc));
  figure.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' ') { e.preventDefault(); pick(figure, e.target as Element, doc); }
    if ((e as KeyboardEvent).key === 'Escape') figure.querySelector('.cb-node-menu')?.remove();
  });
  return figure;
}

/** Shows the "start here" / "end here" menu beside a clicked node (and closes it elsewhere). */
function pick(figure: HTMLElement, target: Element, doc: Document): void {
  if (target.closest('.cb-node-menu')) return;
  figure.querySelector('.cb-node-menu')?.remove();
  const name = target.getAttribute('data-name');
  if (!name || target.getAttribute('role') !== 'button') return;
  const menu = doc.createElement('div');
  menu.className = 'cb-node-menu';
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', `paths through ${name}`);
  // where the node is drawn (the SVG may be scaled to fit), or its own coordinates without a layout (jsdom)
  const box = target.getBoundingClientRect();
  const frame = figure.getBoundingClientRect();
  const x = box.width > 0 ? box.right - frame.left + 6 : Number(target.getAttribute('x')) + Number(target.getAttribute('width')) + 6;
  const y = box.width > 0 ? box.top - frame.top : Number(target.getAttribute('y'));
  menu.style.cssText = `position: absolute; left: ${x}px; top: ${y}px; display: grid; gap: 2px; padding: 4px; z-index: 2;`
    + 'background: var(--cb-surface, #fff); border: 1px solid var(--cb-border, #ccc); border-radius: 6px; box-shadow: 0 2px 8px rgb(0 0 0 / 0.15);';
  for (const [label, patch] of [[`Start here (${name})`, { start_event: name }], [`End here (${name})`, { end_event: name }]] as const) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'menuitem');
    button.textContent = label;
    button.addEventListener('click', () => {
      menu.remove();
      figure.dispatchEvent(new (doc.defaultView?.CustomEvent ?? CustomEvent)(SPEC_PATCH_EVENT, { detail: patch, bubbles: true, composed: true }));
    });
    menu.append(button);
  }
  figure.append(menu);
  menu.querySelector('button')?.focus();
}

registerDefaultChart('paths', ({ rows, meta, document }) => {
  const spec = meta.spec as { steps?: number; end_event?: string | null } | undefined;
  return pathsSankey(rows, {
    document,
    sessions: typeof meta.sessions === 'number' ? meta.sessions : undefined,
    people: typeof meta.people === 'number' ? meta.people : undefined,
    nodes: spec?.end_event ? undefined : (meta.nodes as PathsSankeyOptions['nodes']),
    steps: spec?.steps,
  });
});
