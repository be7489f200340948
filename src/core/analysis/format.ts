// Number formatting for messages: how an ML engineer would write the value.

/** `3e-3` for small LRs, `1200` for steps, `0.412` for losses. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e7) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) {
    const [m, e] = x.toExponential(2).split('e');
    return `${String(Number(m))}e${Number(e)}`;
  }
  return String(Number(x.toPrecision(3)));
}

/** Learning rates as people write them in scripts: `3e-3`, `6e-4`, `0.1`. */
export function formatLr(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  if (Math.abs(x) >= 0.1) return String(Number(x.toPrecision(3)));
  const [m, e] = x.toExponential(2).split('e');
  return `${String(Number(m))}e${Number(e)}`;
}
