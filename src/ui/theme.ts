import { css } from 'lit';

/** Colours, type and spacing shared by every component; light and dark follow `data-theme` on <html>. */
export const theme = css`
  :host {
    --cb-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --cb-mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-family: var(--cb-font);
    color: var(--cb-text);
  }
  button {
    font: inherit; font-size: 13px; border: 1px solid var(--cb-border); background: var(--cb-surface);
    color: var(--cb-text); border-radius: 6px; padding: 5px 10px; cursor: pointer;
  }
  button:hover { border-color: var(--cb-accent); }
  button.primary { background: var(--cb-accent); color: var(--cb-on-accent); border-color: var(--cb-accent); }
  button:disabled { opacity: 0.5; cursor: default; }
  select, input {
    font: inherit; font-size: 13px; border: 1px solid var(--cb-border); border-radius: 6px; padding: 4px 6px;
    background: var(--cb-surface); color: var(--cb-text);
  }
  button:focus-visible, select:focus-visible, input:focus-visible, textarea:focus-visible, a:focus-visible, summary:focus-visible, [tabindex]:focus-visible {
    outline: 2px solid var(--cb-accent); outline-offset: 1px;
  }
  .muted { color: var(--cb-muted); }
  .error {
    background: var(--cb-error-bg); color: var(--cb-error); border: 1px solid var(--cb-error-border);
    border-radius: 8px; padding: 8px 10px; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere;
  }
`;

/** Page-level variables, installed once on the document. */
export const pageStyle = `
  :root {
    --cb-bg: #f6f7f9; --cb-surface: #ffffff; --cb-text: #1d2430; --cb-muted: #667085; --cb-border: #dfe3ea;
    --cb-accent: #4f46e5; --cb-accent-soft: #eef0ff; --cb-error: #b42318; --cb-error-bg: #fef3f2; --cb-error-border: #fecdca;
    --cb-ok: #067647; --cb-on-accent: #ffffff; --cb-warning: #93370d; --cb-warning-bg: #fffaeb; --cb-warning-border: #fedf89; color-scheme: light;
  }
  :root[data-theme='dark'] {
    --cb-bg: #0f1217; --cb-surface: #171b22; --cb-text: #e6e9ef; --cb-muted: #98a2b3; --cb-border: #2a303b;
    --cb-accent: #818cf8; --cb-accent-soft: #23264a; --cb-error: #fda29b; --cb-error-bg: #2a1513; --cb-error-border: #55201b;
    --cb-ok: #47cd89; --cb-on-accent: #0f1217; --cb-warning: #fec84b; --cb-warning-bg: #2b1f08; --cb-warning-border: #5c3d0a; color-scheme: dark;
  }
  html, body { margin: 0; height: 100%; background: var(--cb-bg); }
`;
