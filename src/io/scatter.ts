/**
 * A scatter plot of 2-D points rasterised to RGB pixels: real points grey, generated points red,
 * for the sample "grids" of 2-D runs. Plain pixels, so it encodes with io/png.ts.
 */
export interface Raster {
  data: Uint8Array; // [height, width, 3]
  width: number;
  height: number;
  channels: 3;
}

export function scatterPlot(
  layers: { points: ArrayLike<number>; color: [number, number, number] }[], // points [n, 2] flattened
  opts: { size?: number; extent?: number } = {},
): Raster {
  const size = opts.size ?? 400;
  let extent = opts.extent ?? 0;
  if (!extent) {
    for (const l of layers) for (let i = 0; i < l.points.length; i++) extent = Math.max(extent, Math.abs(l.points[i]!));
    extent = Math.max(1, extent * 1.1);
  }
  const data = new Uint8Array(size * size * 3).fill(255);
  const put = (px: number, py: number, c: [number, number, number]) => {
    if (px < 0 || py < 0 || px >= size || py >= size) return;
    const o = (py * size + px) * 3;
    data[o] = c[0]; data[o + 1] = c[1]; data[o + 2] = c[2];
  };
  // axes
  const mid = Math.round(size / 2);
  for (let i = 0; i < size; i++) { put(i, mid, [225, 225, 225]); put(mid, i, [225, 225, 225]); }
  for (const l of layers) {
    for (let i = 0; i + 1 < l.points.length; i += 2) {
      const px = Math.round(((l.points[i]! / extent + 1) / 2) * (size - 1));
      const py = Math.round(((1 - l.points[i + 1]! / extent) / 2) * (size - 1));
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) put(px + dx, py + dy, l.color);
    }
  }
  return { data, width: size, height: size, channels: 3 };
}
