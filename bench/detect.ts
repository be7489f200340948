// `npm run bench:detect`: the detectors measured on the labelled runs in ../shared/bench.
//
// Every run folder holds the same training run in four formats (a TensorBoard event
// file, a console log, a metrics CSV, a trainer_state.json). Each file is read through
// the project's own readers (readPath over node:fs), analysed, and scored against the
// run's label with the mapping of ../shared/bench/README.md: a run counts as detected
// when any `warning` or `error` finding has one of its label's accepted rules; on a
// healthy run any `warning` or `error` is a false alarm. Figures printed:
// - recall per label (files whose run carries the label and were detected);
// - precision per rule (its warning/error findings on runs whose label, or one of the
//   labels the run also matches, accepts the rule);
// - the false-alarm rate on healthy runs;
// - cross-format agreement: runs whose four files give the same verdict (the same set
//   of warning/error rules), and the same detected/not-detected outcome.
// Files the readers cannot read yet are listed, not scored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeRun } from '../src/core/analysis/analyze';
import type { Finding, Rule } from '../src/core/analysis/finding';
import { RULES } from '../src/core/analysis/finding';
import { readPath } from '../src/core/formats/registry';
import { nodeFileSystem } from '../src/cli/nodeFileSystem';
import { benchDir } from '../test/support/shared';

const ACCEPTED: Record<string, readonly Rule[]> = {
  healthy: [],
  diverged_nonfinite: ['divergence'],
  diverged_finite: ['divergence'],
  collapsed_to_chance: ['divergence', 'plateau'],
  lr_too_low: ['slow_convergence', 'plateau'],
  slow_convergence: ['slow_convergence', 'plateau'],
  stalled_high_loss: ['plateau', 'slow_convergence', 'divergence'],
  oscillation: ['oscillation'],
  overfitting: ['overfitting'],
  plateau_after_early_decay: ['lr_collapse', 'plateau'],
  scheduler_stepped_per_batch: ['lr_collapse'],
  spike_then_recover: ['loss_spike'],
  warmup_missing_spikes: ['warmup', 'loss_spike'],
  recurrent_spikes: ['loss_spike', 'oscillation'],
};

interface LabelledRun {
  run_id: string;
  label: string;
  also_matches: string[];
  formats: Record<string, { dir?: string; file?: string }>;
}

const FORMATS = ['tfevents', 'text_log', 'csv', 'trainer_state'] as const;
type FormatKey = (typeof FORMATS)[number];

function fileOf(dir: string, key: FormatKey, run: LabelledRun): string | undefined {
  if (key === 'tfevents') {
    const tb = path.join(dir, run.formats.tfevents?.dir ?? 'tb');
    const ev = fs.existsSync(tb) ? fs.readdirSync(tb).find((f) => f.startsWith('events.out.tfevents')) : undefined;
    return ev ? path.join(tb, ev) : undefined;
  }
  const name = key === 'text_log' ? 'train.log' : key === 'csv' ? 'metrics.csv' : 'trainer_state.json';
  const p = path.join(dir, run.formats[key]?.file ?? name);
  return fs.existsSync(p) ? p : undefined;
}

interface Outcome {
  run: LabelledRun;
  format: FormatKey;
  findings?: Finding[];
  unreadable?: string;
}

function verdict(findings: Finding[]): Rule[] {
  return [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.rule))].sort();
}

const pct = (a: number, b: number): string => (b === 0 ? '   -  ' : `${((100 * a) / b).toFixed(0).padStart(3)}% (${a}/${b})`);

async function main(): Promise<void> {
  const root = benchDir();
  if (!root) {
    console.log('bench:detect needs ../shared/bench beside the checkout (or $LRLENS_SHARED); nothing to measure.');
    return;
  }
  const labels = (JSON.parse(fs.readFileSync(path.join(root, 'labels.json'), 'utf8')) as { runs: LabelledRun[] }).runs;
  const outcomes: Outcome[] = [];
  const t0 = process.hrtime.bigint();
  for (const run of labels) {
    const dir = path.join(root, 'runs', run.run_id);
    for (const format of FORMATS) {
      const file = fileOf(dir, format, run);
      if (!file) {
        outcomes.push({ run, format, unreadable: 'file missing' });
        continue;
      }
      const result = await readPath(nodeFileSystem, file);
      const read = result.runs[0];
      if (!read || result.failure) {
        outcomes.push({ run, format, unreadable: result.failure ?? 'no run read' });
        continue;
      }
      outcomes.push({ run, format, findings: analyzeRun(read) });
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const scored = outcomes.filter((o) => o.findings);
  const detected = (o: Outcome): boolean => {
    const v = verdict(o.findings!);
    return o.run.label === 'healthy' ? v.length === 0 : v.some((r) => ACCEPTED[o.run.label]?.includes(r));
  };

  console.log(`bench:detect — ${labels.length} labelled runs × 4 formats; ${scored.length} files read and analysed in ${seconds.toFixed(1)} s\n`);

  console.log('Recall per label (files detected by an accepted warning/error rule):');
  const byLabel = new Map<string, Outcome[]>();
  for (const o of scored) byLabel.set(o.run.label, [...(byLabel.get(o.run.label) ?? []), o]);
  for (const [label, os] of [...byLabel].sort()) {
    if (label === 'healthy') continue;
    const perFormat = FORMATS.map((f) => {
      const fo = os.filter((o) => o.format === f);
      return `${f} ${fo.filter(detected).length}/${fo.length}`;
    }).join('  ');
    console.log(`  ${label.padEnd(28)} ${pct(os.filter(detected).length, os.length).padEnd(14)} [${(ACCEPTED[label] ?? []).join('|')}]  ${perFormat}`);
  }
  const sick = scored.filter((o) => o.run.label !== 'healthy');
  console.log(`  ${'all sick runs'.padEnd(28)} ${pct(sick.filter(detected).length, sick.length)}`);

  console.log('\nPrecision per rule (warning/error findings on runs whose label or also-matches accept the rule):');
  for (const rule of RULES) {
    let fired = 0;
    let right = 0;
    let positives = 0;
    let found = 0;
    for (const o of scored) {
      const labelsOfRun = [o.run.label, ...o.run.also_matches];
      const accepts = labelsOfRun.some((l) => ACCEPTED[l]?.includes(rule));
      const primary = (ACCEPTED[o.run.label] ?? [])[0] === rule;
      const has = verdict(o.findings!).includes(rule);
      if (has) {
        fired++;
        if (accepts) right++;
      }
      if (primary) {
        positives++;
        if (has) found++;
      }
    }
    console.log(`  ${rule.padEnd(18)} precision ${pct(right, fired).padEnd(16)} recall on runs labelled for it first ${pct(found, positives)}`);
  }

  const healthy = scored.filter((o) => o.run.label === 'healthy');
  const alarms = healthy.filter((o) => !detected(o));
  console.log(`\nFalse alarms on healthy runs: ${pct(alarms.length, healthy.length)} of files with a warning or error`);
  for (const o of alarms) console.log(`  ${o.run.run_id} ${o.format}: ${verdict(o.findings!).join(', ')}`);

  console.log('\nCross-format agreement (runs with all four files read):');
  let complete = 0;
  let sameVerdict = 0;
  let sameOutcome = 0;
  const disagreements: string[] = [];
  for (const run of labels) {
    const os = outcomes.filter((o) => o.run === run);
    if (os.some((o) => !o.findings)) continue;
    complete++;
    const verdicts = os.map((o) => verdict(o.findings!).join('+') || '-');
    if (new Set(verdicts).size === 1) sameVerdict++;
    else disagreements.push(`  ${run.run_id} ${run.label.padEnd(26)} ${os.map((o, i) => `${o.format}:${verdicts[i]}`).join('  ')}`);
    if (new Set(os.map(detected)).size === 1) sameOutcome++;
  }
  console.log(`  identical verdict (same warning/error rules): ${pct(sameVerdict, complete)}`);
  console.log(`  identical outcome (detected or not):          ${pct(sameOutcome, complete)}`);
  for (const d of disagreements) console.log(d);
  // Runs where only some formats could be read: agreement among those that were.
  let partial = 0;
  let partialSame = 0;
  for (const run of labels) {
    const os = outcomes.filter((o) => o.run === run && o.findings);
    if (os.length < 2 || os.length === FORMATS.length) continue;
    partial++;
    if (new Set(os.map((o) => verdict(o.findings!).join('+'))).size === 1) partialSame++;
  }
  if (partial > 0) console.log(`  runs with 2-3 files read, identical verdict among them: ${pct(partialSame, partial)}`);

  const unreadable = outcomes.filter((o) => o.unreadable);
  if (unreadable.length) {
    console.log(`\nNot scored: ${unreadable.length} files the readers could not read:`);
    const reasons = new Map<string, number>();
    for (const o of unreadable) {
      const key = `${o.format}: ${o.unreadable!.replace(/\d+/g, 'N')}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    for (const [r, n] of reasons) console.log(`  ${n} × ${r}`);
  }

  console.log('\nMissed sick files:');
  for (const o of sick.filter((x) => !detected(x))) console.log(`  ${o.run.run_id} ${o.run.label.padEnd(26)} ${o.format.padEnd(13)} ${verdict(o.findings!).join(', ') || '(nothing above info)'}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
