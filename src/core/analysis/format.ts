// Number formatting for messages: how an ML engineer would write the value.

/** `1200` for steps, `0.412` for losses, `3.2e-5` for tiny values, `1.5e+6` for huge ones. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e7) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return compactExp(x, 2);
  return String(Number(x.toPrecision(3)));
}

/** A loss or metric value: three significant digits (`2.41`, `0.0312`, `1.2e+4`). */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return compactExp(x, 2);
  return String(Number(x.toPrecision(3)));
}

/**
 * Two values of one quantity, "a → b", with as many significant digits (3 to 6) as it
 * takes to show that they differ: `2.3026 → 2.3025`, not `2.3 → 2.3`.
 */
export function formatChange(a: number, b: number): string {
  for (let digits = 3; digits <= 6; digits++) {
    const x = String(Number(a.toPrecision(digits)));
    const y = String(Number(b.toPrecision(digits)));
    if (x !== y || digits === 6) return digits === 3 ? `${formatValue(a)} → ${formatValue(b)}` : `${x} → ${y}`;
  }
  return `${formatValue(a)} → ${formatValue(b)}`;
}

/** Learning rates as people write them in scripts: `3e-3`, `6e-4`, `0.1`, `2.5e-4`. */
export function formatLr(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  if (Math.abs(x) >= 0.1 && Math.abs(x) < 1e4) return String(Number(x.toPrecision(3)));
  return compactExp(x, 2);
}

/** A step number as printed in logs (`1200`), rounded when it is fractional. */
export function formatStep(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Math.round(x));
}

/** A multiplicative factor: `2×`, `5.2×`, `150×`, `1e+17×`. */
export function formatFactor(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 1e4) return `${compactExp(x, 1)}×`;
  return `${String(Number(x.toPrecision(x >= 10 ? 3 : 2)))}×`;
}

/** A fraction as a percentage: `40%`, `2.5%`. */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  return `${String(Number(p.toPrecision(p >= 10 ? 2 : 2)))}%`;
}

/** Rounds a suggested number to what one would type: 2 significant digits. */
export function roundNice(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(2));
}

function compactExp(x: number, digits: number): string {
  const [m, e] = x.toExponential(digits - 1 < 0 ? 0 : digits).split('e');
  const mant = String(Number(Number(m).toPrecision(digits)));
  return `${mant}e${Number(e)}`;
}
