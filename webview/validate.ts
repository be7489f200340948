// Validation of what the host sends: the webview trusts no message's shape blindly.
//
// A message that is not one of the protocol's shapes is rejected whole (undefined); inside a
// well-formed message, a malformed list item (a series, a finding, an overlay) is dropped and
// the rest is kept. Point arrays are checked for shape and length here; their elements are
// coerced while the datasets are built (one pass, no second walk over the points).
import type { Finding, Severity } from '../src/core/analysis/finding';
import type { NonFinitePoint, OverlayView, SeriesView, StepMap, ViewData, XAxis } from '../src/core/chart/types';
import { SERIES_ROLES, type SeriesRole } from '../src/core/model/roles';
import { parseUiState, type HostMessage, type RunInfo, type ScheduleInfo, type SeriesInfo } from '../src/protocol/messages';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown, max = 100_000): x is string => typeof x === 'string' && x.length <= max;
const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isAxis = (x: unknown): x is XAxis => x === 'step' || x === 'epoch' || x === 'time';
const isRange = (x: unknown): x is [number, number] => Array.isArray(x) && x.length === 2 && isNum(x[0]) && isNum(x[1]) && x[0] <= x[1];
const SEVERITIES = new Set<unknown>(['error', 'warning', 'info']);
const ROLES = new Set<unknown>(SERIES_ROLES);

/** Items of `x` that `parse` accepts (an empty list when `x` is not an array). */
function listOf<T>(x: unknown, parse: (item: unknown) => T | undefined, max = 100_000): T[] {
  if (!Array.isArray(x)) return [];
  const out: T[] = [];
  for (const item of x.slice(0, max)) {
    const v = parse(item);
    if (v !== undefined) out.push(v);
  }
  return out;
}

function parseSeriesInfo(x: unknown): SeriesInfo | undefined {
  if (!isObj(x) || !isStr(x.key) || !isStr(x.runId) || !isStr(x.tag) || !ROLES.has(x.role) || !isNum(x.count) || !isNum(x.nonFinite)) return undefined;
  return { key: x.key, runId: x.runId, tag: x.tag, role: x.role as SeriesRole, count: x.count, nonFinite: x.nonFinite };
}

function parseFinding(x: unknown): Finding | undefined {
  if (!isObj(x) || !isStr(x.rule, 100) || !SEVERITIES.has(x.severity) || !isStr(x.series) || !isNum(x.step) || !isStr(x.message)) return undefined;
  const f: Finding = {
    rule: x.rule as Finding['rule'],
    severity: x.severity as Severity,
    series: x.series,
    step: x.step,
    message: x.message,
    evidence: isObj(x.evidence) ? (x.evidence as Finding['evidence']) : {},
    suggestions: Array.isArray(x.suggestions) ? (x.suggestions.filter(isObj) as unknown as Finding['suggestions']) : [],
  };
  if (isNum(x.endStep) && x.endStep >= x.step) f.endStep = x.endStep;
  if (Number.isSafeInteger(x.line) && (x.line as number) >= 1) f.line = x.line as number;
  return f;
}

function parseSchedule(x: unknown): ScheduleInfo | undefined {
  if (!isObj(x) || !isStr(x.family, 100) || !isStr(x.label, 1000) || !isObj(x.params)) return undefined;
  const params: Record<string, number> = {};
  for (const [k, v] of Object.entries(x.params)) if (isNum(v)) params[k] = v;
  return { family: x.family, label: x.label, params, fitError: isNum(x.fitError) ? x.fitError : NaN };
}

export function parseRunInfo(x: unknown): RunInfo | undefined {
  if (!isObj(x) || !isStr(x.id) || !isStr(x.name) || !isStr(x.format, 100)) return undefined;
  const run: RunInfo = {
    id: x.id,
    name: x.name,
    source: isStr(x.source) ? x.source : x.name,
    format: x.format,
    series: listOf(x.series, parseSeriesInfo),
    findings: listOf(x.findings, parseFinding, 10_000),
    axes: listOf(x.axes, (a) => (isAxis(a) ? a : undefined)),
    live: x.live === true,
    errors: listOf(x.errors, (e) => (isStr(e, 2000) ? e : undefined), 200),
  };
  if (!run.axes.includes('step')) run.axes.unshift('step');
  const schedule = parseSchedule(x.schedule);
  if (schedule) run.schedule = schedule;
  return run;
}

const isArr = (x: unknown, n?: number): x is unknown[] => Array.isArray(x) && (n === undefined || x.length === n);

function parseNonFinite(x: unknown): NonFinitePoint | undefined {
  if (!isObj(x) || !isNum(x.x) || !isNum(x.step) || (x.value !== 'NaN' && x.value !== 'Infinity' && x.value !== '-Infinity')) return undefined;
  const p: NonFinitePoint = { x: x.x, step: x.step, value: x.value };
  if (Number.isSafeInteger(x.line) && (x.line as number) >= 1) p.line = x.line as number;
  return p;
}

/** A series view whose parallel arrays really are parallel. */
function parseSeriesView(x: unknown): SeriesView | undefined {
  if (!isObj(x) || !isStr(x.key) || !isArr(x.x)) return undefined;
  const n = x.x.length;
  if (!isArr(x.y, n) || !isArr(x.steps, n)) return undefined;
  const v: SeriesView = {
    key: x.key,
    x: x.x as number[],
    y: x.y as (number | null)[],
    steps: x.steps as number[],
    nonFinite: listOf(x.nonFinite, parseNonFinite, 10_000),
    total: isNum(x.total) ? x.total : n,
  };
  if (isArr(x.smoothed, n)) v.smoothed = x.smoothed as (number | null)[];
  if (isArr(x.lines, n)) v.lines = x.lines as number[];
  return v;
}

export function parseOverlay(x: unknown): OverlayView | undefined {
  if (!isObj(x) || !isStr(x.id) || !isStr(x.runId) || (x.kind !== 'fitted' && x.kind !== 'preview') || !isStr(x.label, 1000) || !isArr(x.x)) return undefined;
  if (!isArr(x.y, x.x.length)) return undefined;
  return { id: x.id, runId: x.runId, kind: x.kind, label: x.label, x: x.x as number[], y: x.y as number[] };
}

function parseStepMap(x: unknown): StepMap | undefined {
  if (!isObj(x) || !isStr(x.runId) || !isArr(x.steps) || !isArr(x.x, x.steps.length)) return undefined;
  if (!x.steps.every(isNum) || !x.x.every(isNum)) return undefined;
  return { runId: x.runId, steps: x.steps, x: x.x };
}

export function parseView(x: unknown): ViewData | undefined {
  if (!isObj(x) || !isAxis(x.xAxis) || !isRange(x.extent) || !(x.xRange === null || isRange(x.xRange))) return undefined;
  const view: ViewData = {
    xAxis: x.xAxis,
    xRange: x.xRange,
    extent: x.extent,
    series: listOf(x.series, parseSeriesView),
    overlays: listOf(x.overlays, parseOverlay),
  };
  if (Array.isArray(x.stepMaps)) view.stepMaps = listOf(x.stepMaps, parseStepMap);
  return view;
}

/** The host's message if it is one of the protocol's shapes, else undefined. */
export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isObj(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'init': {
      const state = parseUiState(raw.state);
      const view = parseView(raw.view);
      if (!state || !view || !Array.isArray(raw.runs)) return undefined;
      return { type: 'init', title: isStr(raw.title, 1000) ? raw.title : '', runs: listOf(raw.runs, parseRunInfo, 1000), state, view };
    }
    case 'runs':
      if (!Array.isArray(raw.runs)) return undefined;
      return { type: 'runs', runs: listOf(raw.runs, parseRunInfo, 1000) };
    case 'view': {
      const view = parseView(raw.view);
      return isId(raw.id) && view ? { type: 'view', id: raw.id, view } : undefined;
    }
    case 'focus':
      if (!isStr(raw.runId) || !isNum(raw.step)) return undefined;
      return {
        type: 'focus',
        runId: raw.runId,
        step: raw.step,
        ...(isNum(raw.endStep) && raw.endStep >= raw.step ? { endStep: raw.endStep } : {}),
        ...(isStr(raw.rule, 100) ? { rule: raw.rule } : {}),
      };
    case 'preview': {
      if (raw.overlay === null) return { type: 'preview', overlay: null };
      const overlay = parseOverlay(raw.overlay);
      return overlay ? { type: 'preview', overlay } : undefined;
    }
    case 'response':
      if (!isId(raw.id) || typeof raw.ok !== 'boolean') return undefined;
      return { type: 'response', id: raw.id, ok: raw.ok, ...(isStr(raw.error, 2000) ? { error: raw.error } : {}) };
    default:
      return undefined;
  }
}
