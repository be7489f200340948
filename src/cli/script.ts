// `lr-lens script`: what LR Lens understood of a training script, and its static findings.
import * as fs from 'node:fs';
import { checkScript } from '../core/python/checks';
import { scriptReport, type ScriptReport } from '../core/python/report';
import { analyzeScript } from '../core/python/scriptModel';
import type { Io } from './analyze';

export const SCRIPT_USAGE = `lr-lens script <file.py> [--format text|json]

Lists the optimizers (with their LR), schedulers, optimizer.step()/scheduler.step()
calls and the loop each runs in (batch, epoch or other), gradient clipping and
Hugging Face TrainingArguments found in a training script, plus its static findings.
Exit codes: 0 read (findings or not); 2 bad usage or an unreadable file.`;

export function scriptCommand(argv: string[], io: Io): number {
  let format: 'text' | 'json' = 'text';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v !== 'text' && v !== 'json') return usage(io, `--format must be text or json, not "${v ?? ''}"`);
      format = v;
    } else if (a.startsWith('-')) return usage(io, `unknown option "${a}"`);
    else files.push(a);
  }
  if (files.length !== 1) return usage(io, 'script needs exactly one Python file');
  const file = files[0]!;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`lr-lens: ${file}: cannot read: ${(e as Error).message}\n`);
    return 2;
  }
  const model = analyzeScript(text);
  const report = scriptReport(model, checkScript(model));
  if (format === 'json') io.out(JSON.stringify({ version: 1, file, ...report }, null, 2) + '\n');
  else io.out(renderScript(file, report));
  return 0;
}

function usage(io: Io, why: string): number {
  io.err(`lr-lens: ${why}\n\n${SCRIPT_USAGE}\n`);
  return 2;
}

function renderScript(file: string, r: ScriptReport): string {
  const out: string[] = [file];
  const at = (line: number): string => `${file}:${line}`;
  for (const o of r.optimizers) out.push(`  optimizer  ${at(o.line)}  ${o.call}  lr=${o.lrExpr ?? '(default)'}${o.lrValue !== undefined ? ` = ${o.lrValue}` : ''}${o.lrSource ? ` from ${o.lrSource}` : ''}`);
  for (const s of r.schedulers) out.push(`  scheduler  ${at(s.line)}  ${s.call}${s.family ? ` (${s.family})` : ''}  ${Object.entries(s.args).map(([k, v]) => `${k}=${v}`).join(', ')}${s.stepped ? `  [stepped ${s.stepped}]` : ''}`);
  for (const s of r.steps) out.push(`  step       ${at(s.line)}  ${s.call}  in ${s.loop === 'other' ? 'no training loop' : `the ${s.loop} loop`}${s.loopLine !== undefined ? ` (line ${s.loopLine})` : ''}${s.via ? ` via line ${s.via.join(', ')}` : ''}`);
  for (const c of r.clipping) out.push(`  clipping   ${at(c.line)}  ${c.call}  max_norm=${c.maxNormExpr ?? '?'}${c.maxNorm !== undefined ? ` = ${c.maxNorm}` : ''}`);
  for (const t of r.trainingArguments) out.push(`  training arguments  ${at(t.line)}  ${Object.entries(t.args).filter(([k]) => /lr|learning_rate|warmup|sched|grad_norm|epochs|max_steps/.test(k)).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  for (const l of r.lightning) out.push(`  lightning  ${at(l.line)}  ${l.scheduler} stepped per ${l.interval}`);
  for (const m of r.manualLr) out.push(`  manual LR  ${at(m.line)}  in ${m.loop === 'other' ? 'no training loop' : `the ${m.loop} loop`}`);
  if (r.findings.length === 0) out.push('  no findings');
  for (const f of r.findings) out.push(`  ${f.severity.padEnd(7)} ${f.rule.padEnd(28)} ${at(f.line)}  ${f.message}${f.fixes.length ? `\n${' '.repeat(39)}fix: ${f.fixes[0]}` : ''}`);
  for (const e of r.syntaxErrors) out.push(`  syntax error at ${at(e.line)} (the rest was still read)`);
  return out.join('\n') + '\n';
}
