import { pageStyle } from './theme.ts';
import './cb-app.ts';

const style = document.createElement('style');
style.textContent = pageStyle;
document.head.append(style);
const saved = localStorage.getItem('cohortbook-theme');
document.documentElement.dataset.theme = saved ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
