/**
 * Line charts for the pages, on uPlot (a small, maintained canvas chart library). Each chart
 * keeps its series as arrays and exposes how many points it holds in `data-points`, which the
 * browser tests read.
 */
import uPlot from 'uplot';

export interface SeriesSpec {
  label: string;
  color: string;
  /** Draw on a second y axis on the right (a quantity with other units). */
  right?: boolean;
}

export class LineChart {
  readonly element: HTMLElement;
  private plot: uPlot;
  private xs: number[] = [];
  private ys: number[][];

  constructor(parent: HTMLElement, title: string, series: SeriesSpec[], opts: { width?: number; height?: number; xLabel?: string } = {}) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.element.dataset['title'] = title;
    this.element.dataset['points'] = '0';
    parent.appendChild(this.element);
    this.ys = series.map(() => []);
    const width = opts.width ?? Math.max(320, Math.min(parent.clientWidth || 560, 900) - 8);
    const hasRight = series.some((s) => s.right);
    this.plot = new uPlot(
      {
        title,
        width,
        height: opts.height ?? 220,
        scales: { x: { time: false } },
        axes: [
          { label: opts.xLabel ?? 'step' },
          { scale: 'y' },
          ...(hasRight ? [{ scale: 'y2', side: 1 as const, grid: { show: false } }] : []),
        ],
        series: [
          { label: opts.xLabel ?? 'step' },
          ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, scale: s.right ? 'y2' : 'y', points: { show: false } })),
        ],
        legend: { live: true },
      },
      [[], ...series.map(() => [])] as uPlot.AlignedData,
      this.element,
    );
  }

  /** Append points (x, one y per series). */
  push(x: number, y: number[]): void {
    this.xs.push(x);
    y.forEach((v, i) => this.ys[i]!.push(Number.isFinite(v) ? v : NaN));
  }

  /** Draw what has been pushed. */
  redraw(): void {
    this.plot.setData([this.xs, ...this.ys] as uPlot.AlignedData);
    this.element.dataset['points'] = String(this.xs.length);
  }

  clear(): void {
    this.xs = [];
    this.ys = this.ys.map(() => []);
    this.redraw();
  }
}

export const COLORS = { d: '#2f6fdf', g: '#d9480f', value: '#2b8a3e', real: '#868e96', fake: '#e03131', other: '#7048e8' };

/** A "Losses" section appended to `parent` with a loss_D / loss_G chart (the playground and digits pages). */
export function lossChart(parent: HTMLElement, height: number): LineChart {
  const section = document.createElement('section');
  section.innerHTML = '<h2>Losses</h2>';
  parent.appendChild(section);
  return new LineChart(section, 'loss_D, loss_G', [
    { label: 'loss_D', color: COLORS.d },
    { label: 'loss_G', color: COLORS.g },
  ], { width: 440, height });
}
