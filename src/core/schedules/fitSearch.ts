// Numerical helpers for schedule fitting: weighted linear least squares and 1-D searches.
//
// Every family's curve is linear in its LR-valued parameters (start, peak, end) once its
// step-valued parameters (warmup length, decay length, period...) are fixed, so fitting
// is an outer search over a few step-valued parameters with an inner exact linear solve.

export interface LinearFit {
  /** One coefficient per basis column. */
  coef: number[];
  /** Weighted sum of squared residuals. */
  sse: number;
}

/**
 * Weighted least squares y ≈ Σ_j coef_j * basis_j with weights w (1/sigma^2), by the
 * normal equations (k <= 4 columns). Columns that are (numerically) dependent get a zero
 * coefficient.
 */
export function weightedLeastSquares(basis: readonly Float64Array[], y: Float64Array, w: Float64Array): LinearFit {
  const k = basis.length;
  const m = y.length;
  // Normal equations accumulated in locals (k <= 3 is every fit here; more falls back).
  if (k <= 3) {
    const b0 = basis[0]!;
    const b1 = k > 1 ? basis[1]! : b0;
    const b2 = k > 2 ? basis[2]! : b0;
    let a00 = 0,
      a01 = 0,
      a02 = 0,
      a11 = 0,
      a12 = 0,
      a22 = 0,
      r0 = 0,
      r1 = 0,
      r2 = 0,
      yy = 0;
    for (let i = 0; i < m; i++) {
      const wi = w[i]!;
      const x0 = b0[i]!;
      const x1 = b1[i]!;
      const x2 = b2[i]!;
      const yi = y[i]!;
      const w0 = wi * x0;
      a00 += w0 * x0;
      a01 += w0 * x1;
      a02 += w0 * x2;
      r0 += w0 * yi;
      const w1 = wi * x1;
      a11 += w1 * x1;
      a12 += w1 * x2;
      r1 += w1 * yi;
      const w2 = wi * x2;
      a22 += w2 * x2;
      r2 += w2 * yi;
      yy += wi * yi * yi;
    }
    const full = [
      [a00, a01, a02, r0],
      [a01, a11, a12, r1],
      [a02, a12, a22, r2],
    ];
    const a = full.slice(0, k).map((row) => [...row.slice(0, k), row[3]!]);
    const coef = solveSymmetric(a, k);
    // SSE = y'Wy - 2 c'(X'Wy) + c'(X'WX)c, with a direct pass when cancellation looms.
    let sse = yy;
    for (let p = 0; p < k; p++) {
      sse -= 2 * coef[p]! * a[p]![k]!;
      for (let q = 0; q < k; q++) sse += coef[p]! * coef[q]! * a[p]![q]!;
    }
    if (!(sse > 1e-9 * yy)) sse = directSse(basis, coef, y, w);
    return { coef, sse };
  }
  const a: number[][] = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (let i = 0; i < m; i++) {
    const wi = w[i]!;
    for (let p = 0; p < k; p++) {
      const bp = basis[p]![i]! * wi;
      if (bp === 0) continue;
      const row = a[p]!;
      for (let q = p; q < k; q++) row[q]! += bp * basis[q]![i]!;
      row[k]! += bp * y[i]!;
    }
  }
  for (let p = 0; p < k; p++) for (let q = 0; q < p; q++) a[p]![q] = a[q]![p]!;
  const coef = solveSymmetric(a, k);
  return { coef, sse: directSse(basis, coef, y, w) };
}

function directSse(basis: readonly Float64Array[], coef: number[], y: Float64Array, w: Float64Array): number {
  const k = basis.length;
  let sse = 0;
  for (let i = 0; i < y.length; i++) {
    let f = 0;
    for (let p = 0; p < k; p++) f += coef[p]! * basis[p]![i]!;
    const r = f - y[i]!;
    sse += r * r * w[i]!;
  }
  return sse;
}

/**
 * Solves the k x k normal equations (augmented column k). A column whose pivot vanishes
 * (relative to the equilibrated matrix) is dropped and the rest solved again.
 */
function solveSymmetric(a: number[][], k: number): number[] {
  let active = Array.from({ length: k }, (_, j) => j).filter((j) => a[j]![j]! > 0);
  while (active.length > 0) {
    const res = gauss(
      active.map((i) => active.map((j) => a[i]![j]!)),
      active.map((i) => a[i]![k]!),
    );
    if (Array.isArray(res)) {
      const x = new Array<number>(k).fill(0);
      active.forEach((j, i) => (x[j] = res[i]!));
      return x;
    }
    const drop = active[res]!;
    active = active.filter((j) => j !== drop);
  }
  return new Array<number>(k).fill(0);
}

/** Gaussian elimination with equilibration and partial pivoting; the failing column's index when singular. */
function gauss(mat: number[][], rhs: number[]): number[] | number {
  const n = rhs.length;
  const d = mat.map((row, i) => Math.sqrt(Math.abs(row[i]!)) || 1);
  const m = mat.map((row, i) => [...row.map((v, j) => v / (d[i]! * d[j]!)), rhs[i]! / d[i]!]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    if (!(Math.abs(m[piv]![col]!) > 1e-12)) return col;
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      if (f !== 0) for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let acc = m[r]![n]!;
    for (let c = r + 1; c < n; c++) acc -= m[r]![c]! * z[c]!;
    z[r] = acc / m[r]![r]!;
  }
  return z.map((v, j) => v / d[j]!);
}

export interface SearchResult {
  x: number;
  value: number;
}

/**
 * Minimises `f` over the integers in [lo, hi]: every integer when the range is small,
 * otherwise a grid (log-spaced when `log`) plus seeds, golden-section refinement between
 * the best point's neighbours, and a final ±2 polish. Evaluations are memoised.
 */
export function minimizeInteger(
  f: (x: number) => number,
  lo: number,
  hi: number,
  opts: { log?: boolean; grid?: number; seeds?: readonly number[]; exhaustive?: number } = {},
): SearchResult {
  lo = Math.ceil(lo);
  hi = Math.floor(hi);
  if (hi < lo) hi = lo;
  const memo = new Map<number, number>();
  const ev = (x: number): number => {
    const xi = Math.min(hi, Math.max(lo, Math.round(x)));
    let v = memo.get(xi);
    if (v === undefined) {
      v = f(xi);
      if (Number.isNaN(v)) v = Infinity;
      memo.set(xi, v);
    }
    return v;
  };
  if (hi - lo <= (opts.exhaustive ?? 48)) {
    for (let x = lo; x <= hi; x++) ev(x);
    return bestOf(memo);
  }
  const n = opts.grid ?? 40;
  const grid: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = i / (n - 1);
    grid.push(Math.round(opts.log && lo > 0 ? lo * (hi / lo) ** u : lo + (hi - lo) * u));
  }
  // Seeds (estimates from features of the data) join the grid, each with close neighbours,
  // so a narrow basin the grid would straddle is still found.
  for (const s of opts.seeds ?? []) {
    if (!Number.isFinite(s)) continue;
    const c = Math.min(hi, Math.max(lo, Math.round(s)));
    const r = Math.max(2, Math.round(0.02 * c));
    grid.push(Math.max(lo, c - r), c, Math.min(hi, c + r));
  }
  const pts = [...new Set(grid)].sort((p, q) => p - q);
  let bi = 0;
  let bv = Infinity;
  pts.forEach((p, i) => {
    const v = ev(p);
    if (v < bv) {
      bv = v;
      bi = i;
    }
  });
  let a = pts[Math.max(0, bi - 1)]!;
  let b = pts[Math.min(pts.length - 1, bi + 1)]!;
  const g = (Math.sqrt(5) - 1) / 2;
  while (b - a > 3) {
    const c = Math.round(b - g * (b - a));
    const d = Math.round(a + g * (b - a));
    if (c === d) break;
    if (ev(c) <= ev(d)) b = d;
    else a = c;
  }
  for (let x = a - 2; x <= b + 2; x++) if (x >= lo && x <= hi) ev(x);
  return bestOf(memo);
}

/** Minimises `f` over real x in [lo, hi]: grid, then golden section around the best point. */
export function minimizeReal(f: (x: number) => number, lo: number, hi: number, opts: { log?: boolean; grid?: number; tol?: number } = {}): SearchResult {
  const n = opts.grid ?? 24;
  const ev = (x: number): number => {
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const pts: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = i / (n - 1);
    pts.push(opts.log && lo > 0 ? lo * (hi / lo) ** u : lo + (hi - lo) * u);
  }
  const vals = pts.map(ev);
  let bi = 0;
  for (let i = 1; i < n; i++) if (vals[i]! < vals[bi]!) bi = i;
  let a = pts[Math.max(0, bi - 1)]!;
  let b = pts[Math.min(n - 1, bi + 1)]!;
  const tol = opts.tol ?? 1e-10;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = ev(c);
  let fd = ev(d);
  for (let it = 0; it < 200 && Math.abs(b - a) > tol * (Math.abs(a) + Math.abs(b) + 1e-300); it++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = ev(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = ev(d);
    }
  }
  const cands: [number, number][] = [
    [pts[bi]!, vals[bi]!],
    [c, fc],
    [d, fd],
  ];
  cands.sort((p, q) => p[1] - q[1]);
  return { x: cands[0]![0], value: cands[0]![1] };
}

function bestOf(memo: Map<number, number>): SearchResult {
  let x = NaN;
  let value = Infinity;
  for (const [k, v] of memo) {
    if (v < value || (v === value && k < x)) {
      x = k;
      value = v;
    }
  }
  if (Number.isNaN(x)) x = memo.keys().next().value ?? NaN;
  return { x, value };
}

/**
 * Integer pattern search: from `x0`, moves to the best of all 3^k - 1 neighbours at the
 * current step sizes while that improves, then halves the steps, down to 1. For coupled
 * integer parameters (a cycle's rise, fall and phase) where coordinate-wise search stalls.
 */
export function patternSearch(f: (x: number[]) => number, x0: number[], step0: number[], maxEvals = 3000): { x: number[]; value: number } {
  const k = x0.length;
  let x = x0.map(Math.round);
  let fx = f(x);
  let steps = step0.map((s) => Math.max(1, Math.round(s)));
  let evals = 1;
  const offsets: number[][] = [];
  for (let code = 0; code < 3 ** k; code++) {
    const o: number[] = [];
    let c = code;
    for (let j = 0; j < k; j++) {
      o.push((c % 3) - 1);
      c = Math.floor(c / 3);
    }
    if (o.some((v) => v !== 0)) offsets.push(o);
  }
  for (;;) {
    let moved = false;
    let best = x;
    let bestV = fx;
    for (const o of offsets) {
      const y = x.map((v, j) => v + o[j]! * steps[j]!);
      const v = f(y);
      evals++;
      if (v < bestV) {
        bestV = v;
        best = y;
      }
    }
    if (bestV < fx) {
      x = best;
      fx = bestV;
      moved = true;
    }
    if (evals > maxEvals) break;
    if (!moved) {
      if (steps.every((s) => s === 1)) break;
      steps = steps.map((s) => Math.max(1, Math.floor(s / 2)));
    }
  }
  return { x, value: fx };
}
