// A unified diff of two texts (Myers' O(ND) line diff), as `git diff`/`patch` read it.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Line-level edit script from `a` to `b`. */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds V as it was before round d (what round d's choices were made from).
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x]! });
    }
    if (d === 0) break;
    if (x === prevX) {
      y--;
      ops.push({ kind: '+', line: b[y]! });
    } else {
      x--;
      ops.push({ kind: '-', line: a[x]! });
    }
  }
  return ops.reverse();
}

function splitLines(t: string): string[] {
  if (t === '') return [];
  const lines = t.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `--- a/name` / `+++ b/name` and hunks with `context` lines around each change; '' when equal. */
export function unifiedDiff(name: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const out = [`--- a/${name}`, `+++ b/${name}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  // Positions of each op in a and b.
  const pos = ops.map((op) => {
    const p = { a: aLine, b: bLine };
    if (op.kind !== '+') aLine++;
    if (op.kind !== '-') bLine++;
    return p;
  });
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend over changes separated by at most 2*context unchanged lines.
    for (let j = i; j < ops.length; j++) {
      if (ops[j]!.kind !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    const aStart = aCount ? pos[start]!.a : pos[start]!.a - 1;
    const bStart = bCount ? pos[start]!.b : pos[start]!.b - 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(o.kind + o.line);
    i = stop;
  }
  return out.join('\n') + '\n';
}
