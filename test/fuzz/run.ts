// `npm run fuzz`: runs every sweep, then random cases of every fuzz target, and reports.
//
//   npm run fuzz                          sweeps + 2,000,000 random cases
//   npm run fuzz -- --cases 50000         sweeps + 50,000 random cases
//   npm run fuzz -- --no-sweep            random cases only (--sweep-only: sweeps only)
//   npm run fuzz -- --target tfevents/bit-flip,tfevents/truncation
//   npm run fuzz -- --seed 123            reproduce a whole run
//   npm run fuzz -- --target T --replay S reproduce one failing case (printed on failure)
//   npm run fuzz -- --list                the targets and sweeps
//
// The cases run in a worker thread. The main thread watches a heartbeat the worker bumps
// for every case: a case that hangs (no progress for --hang-seconds, default 20) or a
// process over --max-rss-mb (default 1024) fails the run with the case that caused it.
// A case slower than --case-ms (default 3000) fails too. Exit code 1 on any failure.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { crc32c } from '../../src/core/formats/tfevents/crc32c';
import { seeded } from '../support/random';
import { useCrc32c } from '../support/tfeventsWriter';
import type { FuzzSweep, FuzzTarget } from './fuzzing';
import { sweeps, targets } from './targets';

interface Options {
  cases: number;
  seed: number;
  targets: string[] | undefined;
  sweep: boolean;
  random: boolean;
  replay: number | undefined;
  hangSeconds: number;
  maxRssMb: number;
  caseMs: number;
  list: boolean;
}

function parse(argv: string[]): Options {
  const o: Options = {
    cases: 2_000_000,
    seed: Date.now() % 2 ** 31,
    targets: undefined,
    sweep: true,
    random: true,
    replay: undefined,
    hangSeconds: 20,
    maxRssMb: 1024,
    caseMs: 3000,
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--cases') o.cases = num();
    else if (a === '--seed') o.seed = num();
    else if (a === '--target') o.targets = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--no-sweep') o.sweep = false;
    else if (a === '--sweep-only') o.random = false;
    else if (a === '--replay') o.replay = num();
    else if (a === '--hang-seconds') o.hangSeconds = num();
    else if (a === '--max-rss-mb') o.maxRssMb = num();
    else if (a === '--case-ms') o.caseMs = num();
    else if (a === '--list') o.list = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** The seed of random case `i` of a run seeded with `seed`. */
function caseSeed(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function selected<T extends { name: string }>(all: T[], names: string[] | undefined): T[] {
  if (!names) return all;
  const unknown = names.filter((n) => !all.some((t) => t.name === n) && ![...targets, ...sweeps].some((t) => t.name === n));
  if (unknown.length) throw new Error(`unknown target ${unknown.join(', ')} (see --list)`);
  return all.filter((t) => names.includes(t.name));
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// Heartbeat slots shared with the main thread.
const HB_CASES = 0;
const HB_TARGET = 1; // index into targets (random phase) or 1000 + index into sweeps
const HB_SEED = 2;

interface Failure {
  target: string;
  seed?: number;
  message: string;
}

type Message = { type: 'log'; text: string } | { type: 'failure'; failure: Failure } | { type: 'done'; failures: number };

function runWorker(o: Options, hb: Int32Array, post: (m: Message) => void): void {
  let failures = 0;
  const fail = (f: Failure): void => {
    failures++;
    post({ type: 'failure', failure: f });
  };
  const log = (text: string): void => post({ type: 'log', text });
  if (o.sweep) {
    for (const [si, sweep] of selected(sweeps, o.targets).entries()) {
      Atomics.store(hb, HB_TARGET, 1000 + sweeps.indexOf(sweep));
      const t0 = performance.now();
      let n = 0;
      let lastLog = t0;
      for (const check of sweep.cases()) {
        Atomics.add(hb, HB_CASES, 1);
        n++;
        let problem: string | undefined;
        try {
          problem = check();
        } catch (e) {
          problem = `threw ${(e as Error).stack ?? String(e)}`;
        }
        if (problem) {
          fail({ target: sweep.name, message: problem });
          if (failures >= 20) break;
        }
        const now = performance.now();
        if (now - lastLog > 15_000) {
          lastLog = now;
          log(`  ${sweep.name}: ${fmt(n)} cases so far (${((now - t0) / 1000).toFixed(0)} s)`);
        }
      }
      const s = (performance.now() - t0) / 1000;
      log(`sweep ${si + 1}: ${sweep.name}: ${fmt(n)} cases in ${s.toFixed(1)} s (${fmt(n / s)} cases/s)`);
    }
  }
  if (o.random && o.cases > 0) {
    const chosen = selected(targets, o.targets);
    if (chosen.length > 0) {
      const weights = chosen.map((t) => t.weight ?? 1);
      const total = weights.reduce((a, b) => a + b, 0);
      const stats = chosen.map(() => ({ cases: 0, ms: 0, maxMs: 0 }));
      const pickRand = seeded(o.seed);
      const t0 = performance.now();
      let lastLog = t0;
      for (let i = 0; i < o.cases && failures < 20; i++) {
        let r = pickRand() * total;
        let ti = 0;
        while (r >= weights[ti]! && ti < chosen.length - 1) r -= weights[ti++]!;
        const target = chosen[ti]!;
        const seed = caseSeed(o.seed, i);
        Atomics.store(hb, HB_TARGET, targets.indexOf(target));
        Atomics.store(hb, HB_SEED, seed | 0);
        Atomics.add(hb, HB_CASES, 1);
        const c0 = performance.now();
        let problem: string | undefined;
        try {
          problem = target.run(seeded(seed));
        } catch (e) {
          problem = `threw ${(e as Error).stack ?? String(e)}`;
        }
        const ms = performance.now() - c0;
        const st = stats[ti]!;
        st.cases++;
        st.ms += ms;
        if (ms > st.maxMs) st.maxMs = ms;
        if (!problem && ms > o.caseMs) problem = `took ${ms.toFixed(0)} ms (budget ${o.caseMs} ms)`;
        if (problem) fail({ target: target.name, seed, message: problem });
        if (c0 - lastLog > 15_000) {
          lastLog = c0;
          log(`  ${fmt(i + 1)} random cases so far (${((c0 - t0) / 1000).toFixed(0)} s)`);
        }
      }
      const s = (performance.now() - t0) / 1000;
      const done = stats.reduce((a, b) => a + b.cases, 0);
      log(`random: ${fmt(done)} cases in ${s.toFixed(1)} s (${fmt(done / s)} cases/s), seed ${o.seed}`);
      for (const [i, t] of chosen.entries()) {
        const st = stats[i]!;
        log(`  ${t.name.padEnd(28)} ${fmt(st.cases).padStart(10)} cases ${fmt(st.cases / (st.ms / 1000 || 1)).padStart(9)}/s  slowest ${st.maxMs.toFixed(1)} ms`);
      }
    }
  }
  post({ type: 'done', failures });
}

function describe(hb: Int32Array): string {
  const t = Atomics.load(hb, HB_TARGET);
  if (t >= 1000) return `sweep ${sweeps[t - 1000]?.name ?? '?'} (case ${Atomics.load(hb, HB_CASES)})`;
  return `${targets[t]?.name ?? '?'} --replay ${Atomics.load(hb, HB_SEED) >>> 0}`;
}

function main(): void {
  let o: Options;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (o.list) {
    for (const t of targets) process.stdout.write(`${t.name.padEnd(30)} ${t.description}\n`);
    for (const s of sweeps) process.stdout.write(`${s.name.padEnd(30)} (sweep) ${s.description}\n`);
    return;
  }
  if (o.replay !== undefined) {
    const t: FuzzTarget | FuzzSweep | undefined = targets.find((x) => x.name === o.targets?.[0]);
    if (!t) {
      process.stderr.write('fuzz: --replay needs --target <one random target>\n');
      process.exit(2);
    }
    const problem = t.run(seeded(o.replay));
    process.stdout.write(problem ? `FAIL ${t.name} --replay ${o.replay}: ${problem}\n` : `ok: ${t.name} --replay ${o.replay}\n`);
    process.exit(problem ? 1 : 0);
  }
  const hb = new Int32Array(new SharedArrayBuffer(16));
  const worker = new Worker(__filename, { workerData: { o, hb } });
  process.stdout.write(`fuzz: ${o.sweep ? 'sweeps, then ' : ''}${o.random ? `${fmt(o.cases)} random cases` : 'no random cases'} (seed ${o.seed})\n`);
  const t0 = performance.now();
  let failures = 0;
  let lastCount = -1;
  let still = 0;
  let finished = false;
  const watchdog = setInterval(() => {
    const count = Atomics.load(hb, HB_CASES);
    still = count === lastCount ? still + 1 : 0;
    lastCount = count;
    const rss = process.memoryUsage().rss / 2 ** 20;
    let stop: string | undefined;
    if (still >= o.hangSeconds) stop = `no progress for ${o.hangSeconds} s: a case hangs: ${describe(hb)}`;
    else if (rss > o.maxRssMb) stop = `memory ${rss.toFixed(0)} MB over the ${o.maxRssMb} MB budget during ${describe(hb)}`;
    if (stop) {
      process.stdout.write(`FAIL ${stop}\n`);
      failures++;
      clearInterval(watchdog);
      void worker.terminate();
    }
  }, 1000);
  worker.on('message', (m: Message) => {
    if (m.type === 'log') process.stdout.write(`${m.text}\n`);
    else if (m.type === 'failure') {
      failures++;
      const f = m.failure;
      const again = f.seed !== undefined ? `  (npm run fuzz -- --target ${f.target} --replay ${f.seed})` : '';
      process.stdout.write(`FAIL ${f.target}: ${f.message}${again}\n`);
    } else {
      finished = true;
      clearInterval(watchdog);
    }
  });
  worker.on('error', (e) => {
    failures++;
    process.stdout.write(`FAIL the fuzz worker crashed: ${e.stack ?? String(e)}\n`);
  });
  worker.on('exit', () => {
    clearInterval(watchdog);
    const s = (performance.now() - t0) / 1000;
    const total = Atomics.load(hb, HB_CASES);
    const peak = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(
      `${failures || !finished ? 'FAILED' : 'passed'}: ${fmt(total)} cases in ${s.toFixed(1)} s (${fmt(total / s)} cases/s), peak RSS ${peak.toFixed(0)} MB, ${failures} failures\n`,
    );
    process.exitCode = failures || !finished ? 1 : 0;
  });
}

if (isMainThread) main();
else {
  const { o, hb } = workerData as { o: Options; hb: Int32Array };
  // The writer frames millions of records here: use the fast CRC (the unit tests check
  // the writer's framing with its own bit-at-a-time CRC against real files).
  useCrc32c(crc32c);
  runWorker(o, hb, (m) => parentPort!.postMessage(m));
}
