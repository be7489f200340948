// The chart's colours, read from VS Code's `--vscode-*` theme variables and re-read when
// the theme changes (VS Code swaps the body class and rewrites the variables on <html>).
import { withAlpha, type Theme, type ThemeKind } from './colors';

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
