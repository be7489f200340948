// The chart's palette type and colour arithmetic (pure: no DOM), shared by the model and the theme reader.

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export interface Theme {
  kind: ThemeKind;
  /** True for both high-contrast themes: thicker lines, outlined regions, no faint tints. */
  highContrast: boolean;
  background: string;
  foreground: string;
  /** Secondary text: axis titles, the status line. */
  muted: string;
  /** Grid lines. */
  grid: string;
  /** Widget borders (and the contrast border in high contrast). */
  border: string;
  focus: string;
  /** One hue per run (or per series of a single run), in order. */
  palette: string[];
  error: string;
  warning: string;
  info: string;
  hoverBackground: string;
  hoverForeground: string;
  hoverBorder: string;
  fontFamily: string;
  fontSize: number;
}

/**
 * `color` with its alpha multiplied by `alpha`. Understands what VS Code writes into its
 * variables (#rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba()); anything else is returned as is.
 */
export function withAlpha(color: string, alpha: number): string {
  const rgba = parseColor(color);
  if (!rgba) return color;
  const [r, g, b, a] = rgba;
  return `rgba(${r}, ${g}, ${b}, ${round3(a * alpha)})`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** [r, g, b, a] with r, g, b in 0–255 and a in 0–1, or undefined. */
export function parseColor(color: string): [number, number, number, number] | undefined {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((ch) => ch + ch).join('') : hex;
    if (full.length !== 6 && full.length !== 8) return undefined;
    const n = (i: number): number => Number.parseInt(full.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), full.length === 8 ? n(6) / 255 : 1];
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(c);
  if (fn) {
    const a = fn[4] === undefined ? 1 : fn[4].endsWith('%') ? Number.parseFloat(fn[4]) / 100 : Number.parseFloat(fn[4]);
    return [Number(fn[1]), Number(fn[2]), Number(fn[3]), a];
  }
  return undefined;
}

/** Mixes two colours (for a faint line that stays opaque enough to read in every theme). */
export function mix(a: string, b: string, t: number): string {
  const x = parseColor(a);
  const y = parseColor(b);
  if (!x || !y) return a;
  const m = (i: number): number => Math.round(x[i]! * (1 - t) + y[i]! * t);
  return `rgb(${m(0)}, ${m(1)}, ${m(2)})`;
}
