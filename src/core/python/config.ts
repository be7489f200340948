// LR settings in YAML and JSON training configs (`lr`, `learning_rate`, `warmup_*`,
// `scheduler`, ...), with their places, so findings can point at them and fixes can
// change them. JSON is read by the same YAML 1.2 parser (JSON is a subset of it).
//
// One config-specific check: PyYAML (what most training code loads configs with)
// implements YAML 1.1, where `1e-3` and `1.0e3` are strings, not floats; only a
// mantissa with a dot and a signed exponent (`1.0e-3`) is a float. An LR written
// `1e-3` then reaches the optimizer as the string "1e-3".
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { Severity } from '../analysis/finding';
import { formatLrLiteral, type TextEdit } from './edits';
import type { Range } from './parse';

export interface ConfigEntry {
  /** Dotted path of the key (`optimizer.lr`, `training.warmup_steps`). */
  path: string;
  /** The last key. */
  key: string;
  value: number | string | boolean | null;
  /** The scalar as written. */
  raw: string;
  /** 1-based line of the value. */
  line: number;
  /** 0-based range of the value. */
  range: Range;
  from: number;
  to: number;
}

export interface ConfigFinding {
  rule: 'yaml_float_as_string';
  severity: Severity;
  range: Range;
  message: string;
  /** Rewrites the value so YAML 1.1 reads a float. */
  edit: TextEdit;
}

export interface ConfigModel {
  entries: ConfigEntry[];
  /** Parse errors, with their line. */
  errors: { message: string; line: number }[];
  findings: ConfigFinding[];
}

/** Keys that set the LR, its schedule, warmup, clipping or the optimizer. */
export const CONFIG_KEY = /^(lr|learning_rate|base_lr|max_lr|min_lr|peak_lr|init_lr|end_lr|lr_min|lr_end|final_lr|warmup\w*|\w*_warmup\w*|scheduler|lr_scheduler|lr_scheduler_type|lr_schedule|sched|schedule|optimizer|optim|opt|max_grad_norm|clip_grad|clip_grad_norm|gradient_clip_val|grad_clip|weight_decay|decay_steps|total_steps|max_steps|max_iters|epochs|num_epochs|max_epochs|num_train_epochs|t_max|step_size|gamma|milestones)$/i;

function lineStarts(text: string): number[] {
  const s = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) s.push(i + 1);
  return s;
}

export function readConfig(text: string): ConfigModel {
  const starts = lineStarts(text);
  const pos = (o: number): { line: number; character: number } => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo]! };
  };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const errors = doc.errors.map((e) => ({ message: e.message, line: pos(e.pos[0]).line + 1 }));
  const entries: ConfigEntry[] = [];
  const walk = (node: YamlNode | null | undefined, path: string[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k === undefined) continue;
        const v = pair.value as YamlNode | null;
        if (isScalar(v) && CONFIG_KEY.test(k) && v.range) {
          const [from, to] = v.range;
          const val = v.value;
          entries.push({
            path: [...path, k].join('.'),
            key: k,
            value: typeof val === 'number' || typeof val === 'string' || typeof val === 'boolean' ? val : null,
            raw: text.slice(from, to),
            line: pos(from).line + 1,
            range: { start: pos(from), end: pos(to) },
            from,
            to,
          });
        } else walk(v, [...path, k]);
      }
    } else if (isSeq(node)) node.items.forEach((it, i) => walk(it as YamlNode, [...path, String(i)]));
  };
  walk(doc.contents, []);
  const findings: ConfigFinding[] = [];
  for (const e of entries) {
    if (typeof e.value !== 'number' || !/[eE]/.test(e.raw) || /^["']/.test(e.raw)) continue;
    if (PYYAML_FLOAT.test(e.raw)) continue;
    const fixed = pyyamlFloat(e.value);
    findings.push({
      rule: 'yaml_float_as_string',
      severity: 'warning',
      range: e.range,
      message: `${e.key}: ${e.raw} is a string to PyYAML (YAML 1.1 needs a dot and a signed exponent); write ${fixed} so the optimizer gets a number.`,
      edit: { range: e.range, newText: fixed },
    });
  }
  return { entries, errors, findings };
}

/** PyYAML's (YAML 1.1) float pattern, for values written with an exponent. */
const PYYAML_FLOAT = /^[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?$/;

/** A spelling of `x` that YAML 1.1 and 1.2 both read as a float: `1.0e-3`. */
export function pyyamlFloat(x: number): string {
  const [m, e] = x.toExponential().split('e') as [string, string];
  return `${m.includes('.') ? m : `${m}.0`}e${e.startsWith('-') || e.startsWith('+') ? e : `+${e}`}`;
}

/** The LR entry of a config (the most specific `lr`/`learning_rate` key). */
export function configLr(model: ConfigModel): ConfigEntry | undefined {
  return model.entries.find((e) => /^(lr|learning_rate|base_lr|max_lr|peak_lr)$/i.test(e.key) && typeof e.value === 'number');
}

/** `scale_lr` on a config: the LR value multiplied, in a spelling every YAML reader takes as a float. */
export function configScaleLrEdit(model: ConfigModel, factor: number, json: boolean): TextEdit | undefined {
  const e = configLr(model);
  if (!e || typeof e.value !== 'number') return undefined;
  const v = e.value * factor;
  const text = json || !/[eE]/.test(formatLrLiteral(v)) ? formatLrLiteral(v) : pyyamlFloat(Number(v.toPrecision(2)));
  return { range: e.range, newText: text };
}
