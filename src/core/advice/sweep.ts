// Sweeps: several runs of one experiment that differ in learning rate (or optimizer),
// ranked, with the LR above which training broke and below which it was too slow.
//
// Method:
// - Runs are one experiment when they log the same losses (the same training and
//   validation loss tags); a folder holding other runs too is split into experiments,
//   and a run with no partner is listed, not compared.
// - The runs are compared on one loss: the validation loss when every run logs one,
//   else the training loss. Each run's score is that loss at its end (the median of its
//   last 10% of steps, see view.ts).
// - Runs more than 3× longer than the sweep's typical (median) run are a different
//   experiment (the long final run after the sweep) and are listed but not compared.
//   Runs that stopped early (pruned or killed) stay: they are judged against the
//   others at the step where they stopped.
// - Each run's LR is its `lr`-like hyperparameter, else the peak of its LR series.
// - The best run has the lowest score. Another run is "worse" when, at the step where
//   it ended, its loss is above the best run's loss at that same step by more than
//   max(2%, 3 noise sigmas of the best run's curve): on a smooth curve 2% of the loss
//   is a real gap (language-model losses of one recipe differ by less across seeds),
//   on a noisy one the noise decides. A run with a divergence (NaN or blow-up) is
//   always worse.
// - Worse runs above the best run's LR were unstable (LR too high), worse runs below it
//   too slow (LR too low). The boundaries are the lowest unstable LR and the highest
//   too-slow LR. The recommended LR is the geometric middle of the runs that were not
//   worse (LR sweeps are log-spaced, and the middle of the good region is the value
//   least likely to sit on either edge), which by construction lies strictly between
//   the two boundaries.
// - Runs that differ in optimizer are analysed per optimizer.
import type { Finding } from '../analysis/finding';
import { formatLr, formatValue, roundNice } from '../analysis/format';
import { contextOf } from '../analysis/context';
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import { median } from '../analysis/stats';
import { viewOf, type SeriesView } from '../analysis/view';

export type SweepStatus = 'best' | 'good' | 'unstable' | 'too_slow' | 'worse' | 'not_compared';

export interface SweepEntry {
  /** The run's source. */
  source: string;
  name: string;
  lr?: number;
  /** Where the LR came from. */
  lrFrom?: 'hparams' | 'series';
  optimizer?: string;
  /** The compared loss's tag. */
  metric?: string;
  /** The loss at the end of the run. */
  score?: number;
  lastStep?: number;
  /** The best run's loss at this run's last step, for runs that are compared. */
  bestAtSameStep?: number;
  status: SweepStatus;
  /** Why, in a few words: "diverged at step 300", "never improved", "8% above the best". */
  note: string;
}

export interface SweepGroup {
  optimizer?: string;
  /** Ranked best first; runs not compared last. */
  entries: SweepEntry[];
  best?: SweepEntry;
  /** The lowest LR at which training was unstable (all higher LRs tried were too). */
  unstableFrom?: number;
  /** The highest LR at which training was too slow. */
  tooSlowUpTo?: number;
  /** The LR to use. */
  recommendedLr?: number;
  summary: string;
}

export interface SweepResult {
  groups: SweepGroup[];
}

export interface SweepInput {
  run: Run;
  findings: Finding[];
}

const WORSE = Math.log(1.02);
const LENGTH_RATIO = 3;

interface Prepared {
  input: SweepInput;
  entry: SweepEntry;
  view?: SeriesView;
  diverged?: Finding;
}

export function analyzeSweep(inputs: readonly SweepInput[]): SweepResult {
  // One experiment logs the same losses: runs are grouped by the tags of their training
  // and validation losses, so a folder that also holds unrelated runs still compares
  // like with like.
  const byLosses = new Map<string, SweepInput[]>();
  for (const input of inputs) {
    const ctx = contextOf(input.run);
    const key = `${ctx.trainLoss?.tag ?? ''}|${ctx.valLoss?.tag ?? ''}`;
    byLosses.set(key, [...(byLosses.get(key) ?? []), input]);
  }
  const groups: SweepGroup[] = [];
  for (const members of byLosses.values()) {
    const useVal = members.every((i) => contextOf(i.run).valLoss);
    const prepared = members.map((input) => prepare(input, useVal));
    if (prepared.length < 2) {
      for (const p of prepared) p.entry.note ||= 'no other run logs the same losses';
      groups.push({ entries: prepared.map((p) => p.entry), summary: `${prepared[0]!.entry.name}: no other run of the same experiment to compare with.` });
      continue;
    }
    // Runs that differ in optimizer are compared per optimizer (when every run says which).
    const byOptimizer = new Map<string, Prepared[]>();
    for (const p of prepared) byOptimizer.set(p.entry.optimizer ?? '', [...(byOptimizer.get(p.entry.optimizer ?? '') ?? []), p]);
    const keys = [...byOptimizer.keys()];
    const split = keys.length > 1 && !keys.includes('') ? [...byOptimizer.values()] : [prepared];
    for (const g of split) groups.push(analyzeGroup(g));
  }
  // Groups with a comparison first, largest first.
  groups.sort((a, b) => Number(b.best !== undefined) - Number(a.best !== undefined) || b.entries.length - a.entries.length);
  return { groups };
}

function prepare(input: SweepInput, useVal: boolean): Prepared {
  const ctx = contextOf(input.run);
  const loss: Series | undefined = useVal ? ctx.valLoss : ctx.trainLoss ?? ctx.valLoss;
  const lr = lrOf(input.run, ctx.lrProfile?.peak);
  const entry: SweepEntry = {
    source: input.run.source,
    name: displayName(input.run),
    ...(lr ? { lr: lr.value, lrFrom: lr.from } : {}),
    ...(ctx.optimizer ? { optimizer: ctx.optimizer } : {}),
    status: 'not_compared',
    note: '',
  };
  const diverged = input.findings.find((f) => f.rule === 'divergence' && f.severity === 'error');
  const out: Prepared = { input, entry, ...(diverged ? { diverged } : {}) };
  if (!loss) {
    entry.note = 'no loss logged';
    return out;
  }
  const view = viewOf(loss);
  entry.metric = loss.tag;
  entry.lastStep = view.lastStep;
  if (view.finite > 0 && Number.isFinite(view.final)) entry.score = view.value(view.final);
  out.view = view;
  return out;
}

/**
 * A run's name for the ranking: its own name, or its folder's when the file has the
 * generic name every run of a sweep shares (metrics.csv, train.log, an event file, ...).
 */
function displayName(run: Run): string {
  const parts = run.source.split(/[\\/]/).filter(Boolean);
  const file = parts[parts.length - 1] ?? run.name;
  const generic = /^(metrics\.csv|train\.log|log\.txt|output\.log|progress\.csv|trainer_state\.json|metrics\.json|results\.csv|events\.out\.tfevents\..*)$/i;
  if ((run.name === file || generic.test(run.name)) && generic.test(file) && parts.length >= 2) return parts[parts.length - 2]!;
  return run.name;
}

function lrOf(run: Run, seriesPeak: number | undefined): { value: number; from: 'hparams' | 'series' } | undefined {
  for (const [k, v] of Object.entries(run.hparams))
    if (/^(lr|learning_rate|learningrate|base_lr|lr0|max_lr|peak_lr|optimizer\.lr|optim\.lr)$/i.test(k) && typeof v === 'number' && v > 0) return { value: v, from: 'hparams' };
  return seriesPeak !== undefined && seriesPeak > 0 ? { value: seriesPeak, from: 'series' } : undefined;
}

function analyzeGroup(group: Prepared[]): SweepGroup {
  const lengths = group.map((p) => p.entry.lastStep).filter((x): x is number => x !== undefined && x > 0);
  const typical = median(lengths);
  const compared: Prepared[] = [];
  for (const p of group) {
    const len = p.entry.lastStep;
    if (!p.view || len === undefined) continue;
    if (Number.isFinite(typical) && len > typical * LENGTH_RATIO) {
      p.entry.note = `much longer than the other runs (${Math.round(len)} vs ~${Math.round(typical)} steps): a different experiment`;
      continue;
    }
    compared.push(p);
  }
  const scored = compared.filter((p) => !p.diverged && p.entry.score !== undefined);
  scored.sort((a, b) => a.entry.score! - b.entry.score!);
  const best = scored[0];
  if (best) {
    best.entry.status = 'best';
    best.entry.note = 'lowest final loss';
  }
  for (const p of compared) {
    if (p === best) continue;
    const e = p.entry;
    if (p.diverged) {
      e.status = 'worse';
      e.note = p.diverged.message.startsWith('Loss became') ? `diverged (non-finite) at step ${Math.round(p.diverged.step)}` : `diverged from step ${Math.round(p.diverged.step)}`;
      continue;
    }
    if (!best || e.score === undefined || !p.view || !best.view) continue;
    const at = levelAt(best.view, e.lastStep!);
    e.bestAtSameStep = best.view.value(at);
    const gap = Math.log(e.score) - at;
    const margin = Math.max(WORSE, 3 * best.view.levelNoise);
    if (best.view.log && gap > margin) {
      e.status = 'worse';
      e.note = `${Math.round(100 * (Math.exp(gap) - 1))}% above the best run at step ${Math.round(e.lastStep!)}`;
      const stuck = p.input.findings.find((f) => f.rule === 'plateau' && f.evidence.neverImproved === true);
      if (stuck) e.note += ', never improved';
    } else {
      e.status = 'good';
      e.note = gap > 0 ? `within ${Math.max(1, Math.round(100 * (Math.exp(gap) - 1)))}% of the best` : 'as good as the best';
    }
  }
  // Direction of the worse runs relative to the best LR.
  let unstableFrom: number | undefined;
  let tooSlowUpTo: number | undefined;
  const bestLr = best?.entry.lr;
  if (bestLr !== undefined) {
    for (const p of compared) {
      const e = p.entry;
      if (e.status !== 'worse' || e.lr === undefined) continue;
      if (e.lr > bestLr) {
        e.status = 'unstable';
        unstableFrom = unstableFrom === undefined ? e.lr : Math.min(unstableFrom, e.lr);
      } else if (e.lr < bestLr) {
        e.status = 'too_slow';
        tooSlowUpTo = tooSlowUpTo === undefined ? e.lr : Math.max(tooSlowUpTo, e.lr);
      }
    }
  }
  // Good region: the best run and the runs as good as it, within the boundaries.
  let recommendedLr: number | undefined;
  const good = compared.filter((p) => (p.entry.status === 'best' || p.entry.status === 'good') && p.entry.lr !== undefined);
  const goodLrs = good
    .map((p) => p.entry.lr!)
    .filter((lr) => (unstableFrom === undefined || lr < unstableFrom) && (tooSlowUpTo === undefined || lr > tooSlowUpTo));
  if (goodLrs.length > 0) recommendedLr = roundNice(Math.sqrt(Math.min(...goodLrs) * Math.max(...goodLrs)));

  const statusOrder: Record<SweepStatus, number> = { best: 0, good: 1, worse: 2, unstable: 2, too_slow: 2, not_compared: 3 };
  const entries = group
    .map((p) => p.entry)
    .sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || (a.score ?? Infinity) - (b.score ?? Infinity));
  const metric = best?.entry.metric ?? 'loss';
  const parts: string[] = [];
  if (best) parts.push(`Best run: ${best.entry.name}${bestLr !== undefined ? ` (LR ${formatLr(bestLr)})` : ''}, ${metric} ${formatValue(best.entry.score!)}.`);
  if (unstableFrom !== undefined) parts.push(`Training was unstable at LR ${formatLr(unstableFrom)} and above.`);
  if (tooSlowUpTo !== undefined) parts.push(`It was too slow at LR ${formatLr(tooSlowUpTo)} and below.`);
  if (recommendedLr !== undefined) parts.push(`Recommended LR: ${formatLr(recommendedLr)}.`);
  if (bestLr === undefined && best) parts.push('The runs do not say their learning rates, so no LR boundaries can be named.');
  if (!best) parts.push('No run could be scored.');
  const optimizer = group.find((p) => p.entry.optimizer)?.entry.optimizer;
  return {
    ...(optimizer ? { optimizer } : {}),
    entries,
    ...(best ? { best: best.entry } : {}),
    ...(unstableFrom !== undefined ? { unstableFrom } : {}),
    ...(tooSlowUpTo !== undefined ? { tooSlowUpTo } : {}),
    ...(recommendedLr !== undefined ? { recommendedLr } : {}),
    summary: parts.join(' '),
  };
}

/** The bin level of a view at `step` (the last bin at or before it; the last bin beyond the end). */
function levelAt(view: SeriesView, step: number): number {
  let level = view.bins[0]!.level;
  for (const b of view.bins) {
    if (b.step > step) break;
    level = b.level;
  }
  return step >= view.lastStep ? view.final : level;
}

