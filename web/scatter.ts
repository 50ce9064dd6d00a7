/** Real (grey) vs generated (red) 2-D points on a canvas; the counts are kept in data-real/data-fake. */
import { COLORS } from './charts.js';

export function drawScatter(canvas: HTMLCanvasElement, real: ArrayLike<number>, fake: ArrayLike<number>, extent: number): void {
  const ctx = canvas.getContext('2d')!;
  const s = canvas.width;
  ctx.clearRect(0, 0, s, s);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, s, s);
  ctx.strokeStyle = '#e5e5e5';
  ctx.beginPath();
  ctx.moveTo(0, s / 2); ctx.lineTo(s, s / 2); ctx.moveTo(s / 2, 0); ctx.lineTo(s / 2, s);
  ctx.stroke();
  const dot = (pts: ArrayLike<number>, color: string) => {
    ctx.fillStyle = color;
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const px = ((pts[i]! / extent + 1) / 2) * s;
      const py = ((1 - pts[i + 1]! / extent) / 2) * s;
      ctx.beginPath();
      ctx.arc(px, py, 2, 0, 2 * Math.PI);
      ctx.fill();
    }
  };
  ctx.globalAlpha = 0.6;
  dot(real, COLORS.real);
  dot(fake, COLORS.fake);
  ctx.globalAlpha = 1;
  canvas.dataset['real'] = String(Math.floor(real.length / 2));
  canvas.dataset['fake'] = String(Math.floor(fake.length / 2));
}
