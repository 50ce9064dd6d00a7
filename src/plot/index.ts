/** Charts: Vega-Lite specs rendered to SVG and PNG without a browser. */
export { renderChart, renderSvg, type ChartSpec, type RenderOptions } from './render.js';
