/**
 * Drawing on a square view of the plane for the playground: heatmaps of a function on a grid,
 * points, and arrows, in world coordinates.
 */
import type { Grid } from '../src/browser.js';

export interface View {
  cx: number;
  cy: number;
  /** Half-width of the square. */
  half: number;
}

export function viewGrid(v: View, n: number): Grid {
  return { xmin: v.cx - v.half, xmax: v.cx + v.half, ymin: v.cy - v.half, ymax: v.cy + v.half, n };
}

/** World → canvas pixels. */
export function toPixel(v: View, size: number, x: number, y: number): [number, number] {
  return [((x - v.cx + v.half) / (2 * v.half)) * size, ((v.cy + v.half - y) / (2 * v.half)) * size];
}

/** Canvas pixels → world. */
export function toWorld(v: View, size: number, px: number, py: number): [number, number] {
  return [v.cx - v.half + (px / size) * 2 * v.half, v.cy + v.half - (py / size) * 2 * v.half];
}

/**
 * A diverging colour for t in [0, 1]: blue (0: "fake") through white (½) to orange (1: "real"),
 * the colours GAN Lab uses for D's verdict.
 */
export function verdictColour(t: number): [number, number, number] {
  const c = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5));
  const lo: [number, number, number] = [59, 110, 200];
  const hi: [number, number, number] = [235, 135, 40];
  const end = c < 0.5 ? lo : hi;
  const a = Math.abs(c - 0.5) * 2; // 0 at the middle
  return [0, 1, 2].map((i) => Math.round(255 + (end[i]! - 255) * a)) as [number, number, number];
}

/**
 * Paint an n×n grid of values (row 0 at the top) onto the whole canvas. Values are mapped to
 * [0, 1] by `range` ([lo, hi]); the colour is verdictColour.
 */
export function paintHeatmap(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, n: number, range: [number, number]): void {
  const img = new ImageData(n, n);
  const [lo, hi] = range;
  const span = hi - lo || 1;
  for (let i = 0; i < n * n; i++) {
    const [r, g, b] = verdictColour((values[i]! - lo) / span);
    img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
  }
  const off = document.createElement('canvas');
  off.width = off.height = n;
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

export function paintPoints(ctx: CanvasRenderingContext2D, v: View, pts: ArrayLike<number>, colour: string, radius = 2.2): void {
  const s = ctx.canvas.width;
  ctx.fillStyle = colour;
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const [px, py] = toPixel(v, s, pts[i]!, pts[i + 1]!);
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** Arrows from each point along `dir`, scaled so the longest is `maxLen` pixels; returns the largest |dir|. */
export function paintArrows(ctx: CanvasRenderingContext2D, v: View, pts: ArrayLike<number>, dir: ArrayLike<number>, maxLen = 28): number {
  const s = ctx.canvas.width;
  let big = 0;
  for (let i = 0; i + 1 < dir.length; i += 2) big = Math.max(big, Math.hypot(dir[i]!, dir[i + 1]!));
  if (!(big > 0) || !Number.isFinite(big)) return big;
  ctx.strokeStyle = 'rgba(20,20,20,0.75)';
  ctx.lineWidth = 1;
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const [x0, y0] = toPixel(v, s, pts[i]!, pts[i + 1]!);
    const dx = (dir[i]! / big) * maxLen;
    const dy = (-dir[i + 1]! / big) * maxLen; // canvas y points down
    const len = Math.hypot(dx, dy);
    if (len < 1) continue;
    const x1 = x0 + dx;
    const y1 = y0 + dy;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    const a = Math.atan2(dy, dx);
    const h = Math.min(5, len / 2);
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - h * Math.cos(a - 0.45), y1 - h * Math.sin(a - 0.45));
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - h * Math.cos(a + 0.45), y1 - h * Math.sin(a + 0.45));
    ctx.stroke();
  }
  return big;
}
