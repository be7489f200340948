// Tracked sources → the runs a chart shows, kept in step as the sources change.
import * as vscode from 'vscode';
import { fittedOverlay } from '../core/chart/overlays';
import type { Run } from '../core/model/run';
import type { ChartRunSource, ChartSession } from './chartSession';
import type { RunStore, TrackedSource } from './runStore';

/** Formats whose run is one text file with source lines. */
const FILE_FORMATS = new Set<Run['format']>(['text', 'csv', 'jsonl', 'hf-trainer-state']);

/** The chart's view of one tracked source (one run for a file, several for a folder). */
export function chartRuns(source: TrackedSource): ChartRunSource[] {
  const runs = source.state.runs;
  const isFile = runs.length === 1 && (runs[0]!.run.source === source.uri.fsPath || source.uri.scheme !== 'file');
  return runs.map(({ run, findings, schedule }) => {
    const id = isFile ? source.uri.toString() : `${source.uri.toString()}#${run.source}`;
    const uri = isFile ? source.uri : FILE_FORMATS.has(run.format) && source.uri.scheme === 'file' ? vscode.Uri.file(run.source) : undefined;
    const fitted = schedule ? fittedOverlay(id, run, schedule) : undefined;
    return {
      id,
      run,
      findings,
      live: source.state.live,
      ...(uri ? { uri } : {}),
      ...(fitted ? { overlays: [fitted] } : {}),
      ...(schedule ? { schedule: { family: schedule.family, params: schedule.params, fitError: schedule.fitError, label: schedule.summary ?? schedule.family } } : {}),
    };
  });
}

/** Feeds a session from sources until disposed; releases the sources then. */
export function bindSession(session: ChartSession, store: RunStore, uris: vscode.Uri[]): vscode.Disposable {
  const sources = uris.map((u) => store.acquire(u));
  const push = (): void => session.setRuns(sources.flatMap(chartRuns));
  const subs = sources.map((s) => s.onDidChange(push));
  push();
  return new vscode.Disposable(() => {
    for (const s of subs) s.dispose();
    for (const s of sources) store.release(s);
  });
}
