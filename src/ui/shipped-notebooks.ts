/** The notebooks in notebooks/, bundled into the app as text so they open offline. */
const files = import.meta.glob('../../notebooks/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface ShippedNotebook {
  file: string;
  text: string;
}

export const SHIPPED_NOTEBOOKS: ShippedNotebook[] = Object.entries(files)
  .map(([path, text]) => ({ file: path.split('/').pop()!, text }))
  .sort((a, b) => a.file.localeCompare(b.file));
