// The plots layer: Observable Plot builders for the standard charts. Each takes rows and options
// (with `document` for rendering outside a browser) and returns Plot's element.
export { defaultChart, registerDefaultChart, type ChartBuilder, type ChartInput } from './default-chart.ts';
