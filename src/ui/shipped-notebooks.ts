/** The notebooks in notebooks/ (and their translations in notebooks/LANG/), bundled into the app as text so they open offline. */
const files = import.meta.glob(['../../notebooks/*.md', '../../notebooks/*/*.md'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface ShippedNotebook {
  /** Its path under notebooks/: `getting-started.md`, `ru/getting-started.md`. */
  file: string;
  text: string;
}

export const SHIPPED_NOTEBOOKS: ShippedNotebook[] = Object.entries(files)
  .map(([path, text]) => ({ file: path.replace(/^.*\/notebooks\//, ''), text }))
  .sort((a, b) => a.file.localeCompare(b.file));
