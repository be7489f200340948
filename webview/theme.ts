// The chart's colours, read from VS Code's `--vscode-*` theme variables and re-read when
// the theme changes (VS Code swaps the body class and rewrites the variables on <html>).

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

/** The body class VS Code sets for each kind of theme. */
export function themeKindOf(classes: DOMTokenList): ThemeKind {
  if (classes.contains('vscode-high-contrast-light')) return 'highContrastLight';
  if (classes.contains('vscode-high-contrast')) return 'highContrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

/** Reads the theme from the computed `--vscode-*` variables (with VS Code's defaults as fallbacks). */
export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const kind = themeKindOf(document.body.classList);
  const light = kind === 'light' || kind === 'highContrastLight';
  const v = (name: string, fallback: string): string => style.getPropertyValue(`--vscode-${name}`).trim() || fallback;
  const foreground = v('foreground', light ? '#3b3b3b' : '#cccccc');
  const highContrast = kind === 'highContrast' || kind === 'highContrastLight';
  const contrastBorder = v('contrastBorder', '');
  const border = highContrast && contrastBorder ? contrastBorder : v('widget-border', v('editorWidget-border', light ? '#c8c8c8' : '#454545'));
  const palette = [
    v('charts-blue', light ? '#1a85ff' : '#3794ff'),
    v('charts-orange', '#d18616'),
    v('charts-green', light ? '#388a34' : '#89d185'),
    v('charts-purple', light ? '#652d90' : '#b180d7'),
    v('charts-red', light ? '#e51400' : '#f14c4c'),
    v('charts-yellow', light ? '#bf8803' : '#cca700'),
  ];
  return {
    kind,
    highContrast,
    background: v('editor-background', light ? '#ffffff' : '#1e1e1e'),
    foreground,
    muted: v('descriptionForeground', light ? '#717171' : '#9d9d9d'),
    // charts.lines is the foreground at half strength: right for axes, too loud for a grid.
    grid: highContrast ? withAlpha(contrastBorder || foreground, 0.4) : withAlpha(v('charts-lines', withAlpha(foreground, 0.5)), 0.32),
    border,
    focus: v('focusBorder', '#0078d4'),
    palette,
    error: v('editorError-foreground', v('errorForeground', '#f14c4c')),
    warning: v('editorWarning-foreground', '#cca700'),
    info: v('editorInfo-foreground', '#3794ff'),
    hoverBackground: v('editorHoverWidget-background', light ? '#f8f8f8' : '#252526'),
    hoverForeground: v('editorHoverWidget-foreground', foreground),
    hoverBorder: v('editorHoverWidget-border', border),
    fontFamily: v('font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(v('font-size', '13')) || 13,
  };
}

/**
 * Calls `onChange` with the new theme whenever VS Code switches theme: the body's class
 * changes, or the variables on <html> are rewritten (a switch between two dark themes
 * changes only those). Coalesced to one call per animation frame. Returns a stop function.
 */
export function watchTheme(onChange: (theme: Theme) => void): () => void {
  let queued = false;
  const fire = (): void => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      onChange(readTheme());
    });
  };
  const observer = new MutationObserver(fire);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
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
