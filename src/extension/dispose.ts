// A small Disposable base: owned resources are registered once and disposed together.
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // Disposing must never stop the others from being disposed.
      }
    }
  }
}

/** Holds one disposable value; assigning a new one disposes the old. */
export class DisposableSlot<T extends vscode.Disposable> implements vscode.Disposable {
  private current: T | undefined;

  get value(): T | undefined {
    return this.current;
  }

  set value(v: T | undefined) {
    if (this.current === v) return;
    this.current?.dispose();
    this.current = v;
  }

  dispose(): void {
    this.value = undefined;
  }
}
