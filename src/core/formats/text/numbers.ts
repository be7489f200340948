// Numbers as training code prints them: Python floats, C printf, JavaScript.
//
// Accepted: `12`, `-0.5`, `.5`, `5.`, `1.5E-04`, `1e3`, `0.000000`, and the non-finite
// spellings `nan`, `NaN`, `-nan`, `inf`, `-inf`, `Infinity`, `-Infinity` (any case).
// NaN and ±Inf are values, not errors. Anything else is `undefined` to the caller.

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Parses the decimal number in `s[start, end)`, which the caller has already checked to
 * be a well-formed decimal literal (sign, digits, optional fraction and exponent).
 * Uses exact integer arithmetic when the result is correctly rounded that way (at most
 * 15 significant digits and a power of ten up to 1e22: both operands are exact, so the
 * one IEEE division or multiplication rounds correctly) and `Number()` otherwise.
 */
export function parseDecimal(s: string, start: number, end: number): number {
  let i = start;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let seenDot = false;
  for (; i < end; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 || c !== 48) digits++;
      if (digits > 15) return Number(s.slice(start, end));
      mant = mant * 10 + (c - 48);
      if (seenDot) scale++;
    } else if (c === 46 /* . */) seenDot = true;
    else break;
  }
  let exp = 0;
  if (i < end) {
    // Exponent: [eE][+-]?digits
    i++;
    let eneg = false;
    c = s.charCodeAt(i);
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    for (; i < end; i++) {
      exp = exp * 10 + (s.charCodeAt(i) - 48);
      if (exp > 400) break;
    }
    if (eneg) exp = -exp;
  }
  const e10 = exp - scale;
  let v: number;
  if (mant === 0) v = 0;
  else if (e10 === 0) v = mant;
  else if (e10 > 0 && e10 <= 22) v = mant * POW10[e10]!;
  else if (e10 < 0 && e10 >= -22) v = mant / POW10[-e10]!;
  else return Number(s.slice(start, end));
  return neg ? -v : v;
}

/** NaN or ±Infinity for a word spelled as a non-finite number (`nan`, `-Inf`, ...), else undefined. */
export function nonFiniteWord(s: string, start: number, end: number): number | undefined {
  let i = start;
  let sign = 1;
  const c0 = s.charCodeAt(i);
  if (c0 === 45 || c0 === 43) {
    sign = c0 === 45 ? -1 : 1;
    i++;
  }
  const len = end - i;
  if (len === 3) {
    const a = s.charCodeAt(i) | 32;
    const b = s.charCodeAt(i + 1) | 32;
    const d = s.charCodeAt(i + 2) | 32;
    if (a === 110 && b === 97 && d === 110) return NaN; // nan
    if (a === 105 && b === 110 && d === 102) return sign * Infinity; // inf
    return undefined;
  }
  if (len === 8 && s.slice(i, end).toLowerCase() === 'infinity') return sign * Infinity;
  return undefined;
}

/** Parses a whole string as a number as printed; undefined when it is not one. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t.length === 0) return undefined;
  const nf = nonFiniteWord(t, 0, t.length);
  if (nf !== undefined) return nf;
  if (!isDecimal(t, 0, t.length)) return undefined;
  return parseDecimal(t, 0, t.length);
}

/** True when `s[start, end)` is exactly a decimal literal. */
export function isDecimal(s: string, start: number, end: number): boolean {
  let i = start;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) i++;
  let digits = 0;
  while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits++;
  }
  if (i < end && s.charCodeAt(i) === 46) {
    i++;
    while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < end && (s.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < end && ((c = s.charCodeAt(i)) === 45 || c === 43)) i++;
    let ed = 0;
    while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      ed++;
    }
    if (ed === 0) return false;
  }
  return i === end;
}

/** `parseNumber` over `s[start, end)` without allocating: surrounding spaces and tabs are ignored. */
export function parseNumberIn(s: string, start: number, end: number): number | undefined {
  let a = start;
  let b = end;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  if (a === b) return undefined;
  // One pass: sign, digits, fraction, exponent (see parseDecimal for the exactness rule).
  let i = a;
  let c = s.charCodeAt(i);
  const neg = c === 45;
  if (c === 45 || c === 43) c = s.charCodeAt(++i);
  let mant = 0;
  let sig = 0;
  let digits = 0;
  let scale = 0;
  while (i < b && c >= 48 && c <= 57) {
    if (sig > 0 || c !== 48) sig++;
    mant = mant * 10 + (c - 48);
    digits++;
    c = s.charCodeAt(++i);
  }
  if (i < b && c === 46) {
    c = s.charCodeAt(++i);
    while (i < b && c >= 48 && c <= 57) {
      if (sig > 0 || c !== 48) sig++;
      mant = mant * 10 + (c - 48);
      digits++;
      scale++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return b - a <= 9 ? nonFiniteWord(s, a, b) : undefined;
  let exp = 0;
  if (i < b && (c | 32) === 101) {
    c = s.charCodeAt(++i);
    const eneg = c === 45;
    if (c === 45 || c === 43) c = s.charCodeAt(++i);
    let ed = 0;
    while (i < b && c >= 48 && c <= 57) {
      if (exp < 1000) exp = exp * 10 + (c - 48);
      ed++;
      c = s.charCodeAt(++i);
    }
    if (ed === 0) return undefined;
    if (eneg) exp = -exp;
  }
  if (i !== b) return undefined;
  const e10 = exp - scale;
  let v: number;
  if (sig > 15 || e10 > 22 || e10 < -22) return Number(s.slice(a, b));
  if (mant === 0) v = 0;
  else if (e10 === 0) v = mant;
  else if (e10 > 0) v = mant * POW10[e10]!;
  else v = mant / POW10[-e10]!;
  return neg ? -v : v;
}
