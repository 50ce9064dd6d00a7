/**
 * Charts as PNG files, for the theory plots (src/theory) and any report page: a Vega-Lite
 * specification (Satyanarayan, Moritz, Wongsuphasawat & Heer 2017, "Vega-Lite: A Grammar of
 * Interactive Graphics") is compiled to Vega, rendered headless to SVG by Vega's own scenegraph
 * (no canvas, no browser), and the SVG rasterised by resvg (a Rust SVG renderer; its prebuilt
 * binary comes from the npm registry as @resvg/resvg-js).
 *
 *   Vega-Lite spec ──vega-lite compile──▶ Vega spec ──vega View.toSVG──▶ SVG ──resvg──▶ PNG
 *
 * Text: Vega measures labels without a canvas by a per-character width estimate, and resvg draws
 * them with the system's fonts (DejaVu Sans here; any sans-serif elsewhere), so a label's width
 * may differ from its estimate by a few pixels. Nothing else in the pipeline depends on the
 * machine: the same spec gives the same SVG everywhere.
 *
 * The three libraries are imported on first use, not with the module: `ganbox train` and a
 * browser page that imports the library's entry never load them (resvg is a native Node addon).
 */
import type { TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

export interface RenderOptions {
  /** Pixels per SVG unit; 2 gives a crisp image on high-density screens. Default 2. */
  scale?: number;
  /** Page colour behind the chart. Default white (a PNG viewer's checkerboard hides thin lines). */
  background?: string;
}

/** Default font settings every ganbox chart shares, merged under the spec's own `config`. */
const BASE_CONFIG = {
  font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif',
  title: { fontSize: 14, anchor: 'start' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
} as const;

/** The chart of a Vega-Lite spec as an SVG document (a string). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const withConfig = { ...spec, config: { ...BASE_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const { spec: vgSpec } = compile(withConfig);
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart of a Vega-Lite spec as PNG bytes. */
export async function renderChart(spec: ChartSpec, options: RenderOptions = {}): Promise<Buffer> {
  const { scale = 2, background = 'white' } = options;
  const svg = await renderSvg(spec);
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background,
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
