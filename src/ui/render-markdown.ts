import { markdownRenderer } from '../notebook/index.ts';

/** Markdown prose as sanitised HTML for the page. */
export const renderMarkdown = markdownRenderer(window);
