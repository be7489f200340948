// Helpers for the python/ tests: fixture scripts, applying fixes, and the re-parse check
// every edit must pass.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type ScriptFix } from '../../src/core/python/edits';
import { parseScript, syntaxErrors } from '../../src/core/python/parse';
import { repoRoot } from '../support/shared';

/** A fixture script from test/fixtures/scripts/. */
export function fixtureScript(name: string): string {
  return fs.readFileSync(path.join(repoRoot(), 'test/fixtures/scripts', name), 'utf8');
}

/** Applies a fix and asserts the result parses without error nodes. */
export function applyFix(text: string, fix: ScriptFix | undefined): string {
  assert.ok(fix, 'expected a fix');
  const after = applyEdits(text, fix.edits);
  const errors = syntaxErrors(parseScript(after));
  assert.deepEqual(errors, [], `the fixed script has syntax errors:\n${after}`);
  return after;
}

/** Lines of a text (no line terminators). */
export function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}

/** How many lines equal (after trimming) or match `what`. */
export function count(text: string, what: string | RegExp): number {
  return linesOf(text).filter((l) => (typeof what === 'string' ? l.trim() === what : what.test(l))).length;
}

/** The 0-based index of the first line that (trimmed) equals or matches `what`; -1 when none. */
export function lineIndex(text: string, what: string | RegExp, from = 0): number {
  const lines = linesOf(text);
  for (let i = from; i < lines.length; i++) if (typeof what === 'string' ? lines[i]!.trim() === what : what.test(lines[i]!)) return i;
  return -1;
}

/** Dedents a template literal script (first line's indentation), keeping tabs. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n').replace(/[ \t]+$/, '');
}
