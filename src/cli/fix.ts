// `lr-lens fix`: the top suggestion for a run, as a unified diff of its training script.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeRun } from '../core/analysis/analyze';
import { readPath } from '../core/formats/registry';
import { applyEdits } from '../core/python/edits';
import { topFix, type FixContext } from '../core/python/fixes';
import { analyzeScript } from '../core/python/scriptModel';
import type { Run } from '../core/model/run';
import type { Io } from './analyze';
import { nodeFileSystem } from './nodeFileSystem';
import { unifiedDiff } from './unifiedDiff';

export const FIX_USAGE = `lr-lens fix <run> --script <file.py> [--apply]

Analyses a run and prints the fix for its most severe finding as a unified diff of
the training script (stdout; the finding and the fix on stderr). --apply writes it.
Exit codes: 0 a fix was printed or applied, or the run has no findings;
1 findings this script offers no place to fix; 2 bad usage or unreadable input.`;

export async function fixCommand(argv: string[], io: Io): Promise<number> {
  let script: string | undefined;
  let apply = false;
  const runs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--script' || a.startsWith('--script=')) script = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    else if (a === '--apply') apply = true;
    else if (a.startsWith('-')) return usage(io, `unknown option "${a}"`);
    else runs.push(a);
  }
  if (runs.length !== 1) return usage(io, 'fix needs exactly one run (a log file or a run folder)');
  if (!script) return usage(io, 'fix needs --script <file.py>');
  let text: string;
  try {
    text = fs.readFileSync(script, 'utf8');
  } catch (e) {
    io.err(`lr-lens: ${script}: cannot read: ${(e as Error).message}\n`);
    return 2;
  }
  const result = await readPath(nodeFileSystem, runs[0]!);
  if (result.failure || result.runs.length === 0) {
    io.err(`lr-lens: ${runs[0]!}: ${result.failure ?? 'no run found'}\n`);
    return 2;
  }
  const run = result.runs[0]!;
  const findings = analyzeRun(run);
  if (findings.length === 0) {
    io.err(`lr-lens: ${run.source}: no findings, nothing to fix\n`);
    return 0;
  }
  const model = analyzeScript(text);
  const top = topFix(model, findings, contextOf(run));
  if (!top) {
    const f = findings[0]!;
    io.err(`lr-lens: ${f.rule} (${f.severity}) at step ${f.step}: ${f.message}\nlr-lens: ${script}: no place in this script for ${f.suggestions.map((s) => s.fix).join(', ') || 'a fix'}\n`);
    return 1;
  }
  const after = applyEdits(text, top.fix.edits);
  const errorsBefore = model.syntaxErrors.length;
  if (analyzeScript(after).syntaxErrors.length > errorsBefore) {
    io.err(`lr-lens: ${script}: the fix would not parse; not applied\n`);
    return 1;
  }
  io.err(`lr-lens: ${top.finding.rule} (${top.finding.severity}) at step ${top.finding.step}: ${top.finding.message}\nlr-lens: ${top.fix.title}\n`);
  const rel = path.relative(process.cwd(), script);
  io.out(unifiedDiff((rel.startsWith('..') || path.isAbsolute(rel) ? script : rel).replace(/^\/+/, ''), text, after));
  if (apply) {
    fs.writeFileSync(script, after);
    io.err(`lr-lens: wrote ${script}\n`);
  }
  return 0;
}

/** What the run says about the training length, for sizing schedules and warmup. */
function contextOf(run: Run): FixContext {
  const ctx: FixContext = {};
  if (run.meta.stepsPerEpoch) ctx.stepsPerEpoch = run.meta.stepsPerEpoch;
  let last = 0;
  for (const s of run.series) if (s.steps.length) last = Math.max(last, s.steps[s.steps.length - 1]!);
  const planned = run.meta.plannedSteps ?? (last > 0 ? last : undefined);
  if (planned) ctx.totalSteps = planned;
  return ctx;
}

function usage(io: Io, why: string): number {
  io.err(`lr-lens: ${why}\n\n${FIX_USAGE}\n`);
  return 2;
}
