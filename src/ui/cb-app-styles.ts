import { css } from 'lit';

/**
 * The workspace's layout: the header (its actions fold into a menu when it is narrower than
 * 1180 px, a size container), the data panel (a rail below 1280 px that opens over the notebook)
 * and the notebook.
 */
export const appStyles = css`
    :host { display: grid; grid-template-rows: auto 1fr; height: 100vh; background: var(--cb-bg); }
    header { display: flex; align-items: center; gap: 8px; padding: 8px 16px; border-bottom: 1px solid var(--cb-border); background: var(--cb-surface);
      container-type: inline-size; position: relative; z-index: 5; min-width: 0; }
    header button { white-space: nowrap; }
    .logo { font-weight: 700; font-size: 16px; letter-spacing: -0.01em; cursor: pointer; color: var(--cb-text); text-decoration: none; border-radius: 4px; white-space: nowrap; }
    .logo span { color: var(--cb-accent); }
    .title { font-weight: 600; margin-left: 6px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 60px; flex: 0 1 auto; }
    .actions { display: flex; gap: 8px; align-items: center; }
    .menu-toggle { display: none; }
    .status { margin-left: auto; font-size: 12px; color: var(--cb-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 0 1 auto; }
    /* the actions fold into a menu when the header cannot hold them on one line */
    @container (max-width: 1180px) {
      .menu-toggle { display: inline-block; }
      .actions { display: none; position: absolute; top: calc(100% + 4px); left: 120px; flex-direction: column; align-items: stretch; padding: 6px;
        background: var(--cb-surface); border: 1px solid var(--cb-border); border-radius: 10px; box-shadow: 0 8px 24px rgb(0 0 0 / 0.18); }
      .actions.open { display: flex; }
      .actions button { text-align: left; }
    }
    /* languages whose labels are longer (Russian) fold them sooner */
    @container (max-width: 1500px) {
      .long-labels .menu-toggle { display: inline-block; }
      .long-labels .actions { display: none; position: absolute; top: calc(100% + 4px); left: 120px; flex-direction: column; align-items: stretch; padding: 6px;
        background: var(--cb-surface); border: 1px solid var(--cb-border); border-radius: 10px; box-shadow: 0 8px 24px rgb(0 0 0 / 0.18); }
      .long-labels .actions.open { display: flex; }
      .long-labels .actions button { text-align: left; }
    }
    .layout { display: grid; grid-template-columns: 290px minmax(0, 1fr); min-height: 0; position: relative; }
    .layout.rail, .layout.narrow { grid-template-columns: 44px minmax(0, 1fr); }
    .layout.presenting { grid-template-columns: 1fr; }
    .layout.presenting aside, .layout.presenting details.preview, .layout.presenting .trust { display: none; }
    aside { border-right: 1px solid var(--cb-border); overflow: auto; background: var(--cb-bg); min-width: 0; }
    aside cb-data-panel { padding: 4px 16px 16px; }
    aside cb-data-panel[hidden] { display: none; }
    .rail-toggle { display: flex; gap: 6px; align-items: center; margin: 8px 8px 0 auto; padding: 3px 9px; font-size: 13px; }
    .layout.rail .rail-toggle { flex-direction: column; margin: 8px auto 0; padding: 8px 4px; }
    .rail-label { writing-mode: vertical-rl; font-size: 12px; letter-spacing: 0.06em; }
    .layout.narrow.panel-open aside { position: absolute; inset: 0 auto 0 0; width: 320px; z-index: 4; box-shadow: 4px 0 24px rgb(0 0 0 / 0.2); background: var(--cb-surface); }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    main { padding: 18px 28px 80px; overflow: auto; min-width: 0; grid-column: 2; }
    .layout.presenting main { grid-column: 1; }
    @media (max-width: 1279px) { main { padding: 14px 18px 80px; } }
    .trust { display: flex; gap: 12px; align-items: center; background: #fffaeb; color: #93370d; border: 1px solid #fedf89; border-radius: 8px; padding: 8px 12px; margin-bottom: 12px; font-size: 13px; }
    :host-context([data-theme='dark']) .trust { background: #2a2110; color: #fec84b; border-color: #4e3b10; }
    details.preview { margin-bottom: 14px; background: var(--cb-surface); border: 1px solid var(--cb-border); border-radius: 10px; padding: 8px 12px; }
    details.preview summary { cursor: pointer; font-size: 13px; color: var(--cb-muted); }
    details.preview summary b { color: var(--cb-text); }
    details.preview cb-table-view { margin-top: 8px; }
    .dropping { position: fixed; inset: 0; background: color-mix(in srgb, var(--cb-accent) 12%, transparent); border: 3px dashed var(--cb-accent);
      display: grid; place-items: center; font-size: 20px; color: var(--cb-accent); pointer-events: none; z-index: 10; }
  `;
