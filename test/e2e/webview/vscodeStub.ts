// The few `vscode` API pieces src/extension/webviewHtml.ts uses, so the webview harness can
// render the panel's real HTML (and its real CSP) outside VS Code. Bundled in place of `vscode`.

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}

  static file(path: string): Uri {
    return new Uri('file', path);
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path.replace(/\/$/, ''), ...segments].join('/'));
  }

  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}
