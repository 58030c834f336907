// A tiny live line chart on <canvas> (the dashboard's ingest bitrate):
// the last N samples, scaled to the largest one, sharp on HiDPI screens.

export class Sparkline {
  constructor(canvas, { size = 60, unit = '' } = {}) {
    this.canvas = canvas;
    this.size = size;
    this.unit = unit;
    this.samples = [];
  }

  push(value) {
    this.samples.push(Number.isFinite(value) ? Math.max(0, value) : 0);
    if (this.samples.length > this.size) this.samples.splice(0, this.samples.length - this.size);
    this.draw();
  }

  /** A round number at or above the largest sample (the top of the y axis). */
  scaleMax() {
    const peak = Math.max(1, ...this.samples);
    const pow = 10 ** Math.floor(Math.log10(peak));
    for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * pow >= peak) return m * pow;
    return 10 * pow;
  }

  draw() {
    const c = this.canvas;
    if (!c.isConnected) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(c.clientWidth * dpr));
    const h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    const ctx = c.getContext('2d');
    const css = getComputedStyle(c);
    const line = css.getPropertyValue('--accent').trim() || '#ff5a36';
    const grid = css.getPropertyValue('--border').trim() || '#2a2f3a';
    ctx.clearRect(0, 0, w, h);

    const pad = 2 * dpr;
    ctx.strokeStyle = grid;
    ctx.lineWidth = 1;
    for (let i = 0; i <= 3; i++) {
      const y = Math.round(pad + (h - 2 * pad) * (i / 3)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(w, y);
      ctx.stroke();
    }
    const n = this.samples.length;
    if (n === 0) return;
    const max = this.scaleMax();
    const step = (w - 2 * pad) / (this.size - 1);
    const x0 = w - pad - (n - 1) * step;
    const yOf = (v) => h - pad - (h - 2 * pad) * (v / max);

    ctx.beginPath();
    this.samples.forEach((v, i) => {
      const x = x0 + i * step;
      if (i === 0) ctx.moveTo(x, yOf(v)); else ctx.lineTo(x, yOf(v));
    });
    ctx.lineJoin = 'round';
    ctx.lineWidth = 2 * dpr;
    ctx.strokeStyle = line;
    ctx.stroke();

    ctx.lineTo(x0 + (n - 1) * step, h - pad);
    ctx.lineTo(x0, h - pad);
    ctx.closePath();
    ctx.globalAlpha = 0.18;
    ctx.fillStyle = line;
    ctx.fill();
    ctx.globalAlpha = 1;

    const lx = x0 + (n - 1) * step;
    const ly = yOf(this.samples[n - 1]);
    ctx.beginPath();
    ctx.arc(lx, ly, 3 * dpr, 0, Math.PI * 2);
    ctx.fillStyle = line;
    ctx.fill();
  }
}
