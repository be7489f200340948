import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { artifactUri } from '../../src/cli/sarif';
import { RULES } from '../../src/core/analysis/finding';
import { decaying, stepsOf, withNoise } from '../support/curves';
import { divergingLog, healthyLog } from '../support/sampleRuns';
import { runCli, withFiles } from '../support/cli';

const cli = (...args: string[]) => runCli(args);

/** A nanoGPT-style log whose loss rises right after step 100 and never comes back: an error. */
function blowUpLog(): string {
  const steps = stepsOf(600);
  const loss = withNoise(steps.map((s) => (s < 100 ? 2.3 - s * 0.005 : 2.3 + 20 * (1 - Math.exp(-(s - 100) / 30)))), 0.05, 2);
  return steps.map((s, i) => `step ${s}/600 | loss ${loss[i]!.toFixed(4)} | lr 5.00e-01`).join('\n') + '\n';
}

/** A log whose validation loss turns up while the training loss keeps falling: a warning only. */
function overfitLog(): string {
  const lines: string[] = [];
  const steps = stepsOf(600);
  const train = withNoise(decaying(steps, 3.4, 0.2, 200), 0.03, 1);
  for (const [i, s] of steps.entries()) {
    lines.push(`step ${s}/600 | loss ${train[i]!.toFixed(4)} | lr 1.00e-03`);
    if (s % 15 === 0) lines.push(`step ${s}/600 | val_loss ${(2.08 + 0.0000045 * (s - 225) ** 2).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

/** A sweep member: the same task at another LR. */
function sweepLog(lr: number, seed: number): string {
  const steps = stepsOf(2000, 10);
  const rate = lr / 3e-4;
  const loss = withNoise(steps.map((s) => (lr >= 3e-3 ? (s < 100 ? 7.5 - s * 0.005 : 7.4) : 3.5 + 4 * Math.exp(-(s * rate) / 400))), 0.01, seed);
  return steps.map((s, i) => `step ${s}/2000 | loss ${loss[i]!.toFixed(4)} | lr ${lr.toExponential(2)}`).join('\n') + '\n';
}

interface JsonOut {
  version: number;
  runs: { source: string; findings: { rule: string; severity: string; line?: number; suggestions: { fix: string }[] }[] }[];
  sweep?: { groups: { best?: { lr?: number }; unstableFrom?: number; tooSlowUpTo?: number; recommendedLr?: number; entries: { status: string }[] }[] };
}

test('json lists each run with its findings, suggestions first-class', () => {
  withFiles({ 'train.log': blowUpLog() }, (dir) => {
    const r = cli('analyze', path.join(dir, 'train.log'), '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    const f = out.runs[0]!.findings.find((x) => x.rule === 'divergence')!;
    assert.equal(f.severity, 'error');
    assert.ok(f.line! > 100 && f.line! < 200);
    assert.equal(f.suggestions[0]!.fix, 'scale_lr');
  });
});

test('json carries the schedule the LR followed', () => {
  withFiles({ 'healthy.log': healthyLog().content }, (dir) => {
    const r = cli('analyze', path.join(dir, 'healthy.log'), '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { runs: { schedule?: { family: string; params: Record<string, number> }; findings: unknown[] }[] };
    const run = out.runs[0]!;
    assert.equal(run.schedule?.family, 'cosine');
    assert.ok(Math.abs(run.schedule.params.warmupSteps! - 200) <= 10, JSON.stringify(run.schedule));
    assert.deepEqual(run.findings, []);
  });
});

test('text prints each finding at file:line with its fixes', () => {
  withFiles({ 'train.log': blowUpLog() }, (dir) => {
    const r = cli('analyze', path.join(dir, 'train.log'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /error\s+divergence\s+\S+train\.log:1\d\d\s+Loss rose from .* and never came back/);
    assert.match(r.stdout, /fix: scale the LR by 0\.1 \(to 5e-2\) — the loss never trained at this LR/);
  });
});

test('--fail-on sets exit 1 only for findings at or above the level', () => {
  withFiles({ 'overfit.log': overfitLog(), 'good.log': healthyLog().content }, (dir) => {
    const overfit = path.join(dir, 'overfit.log');
    assert.equal(cli('analyze', overfit, '--fail-on', 'warning').status, 1);
    assert.equal(cli('analyze', overfit, '--fail-on', 'error').status, 0);
    assert.equal(cli('analyze', path.join(dir, 'good.log'), '--fail-on', 'warning').status, 0);
  });
});

test('an unreadable input exits 2 with one line on stderr, and the rest is still analysed', () => {
  withFiles({ 'bad.log': divergingLog().content, 'notes.txt': 'just words\n' }, (dir) => {
    const r = cli('analyze', path.join(dir, 'notes.txt'), path.join(dir, 'bad.log'), '--format', 'sarif', '--fail-on', 'error');
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
    assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === 'divergence'));
  });
});

// The objects LR Lens emits, with the properties the SARIF 2.1.0 schema
// (sarif-schema-2.1.0.json, OASIS) allows on each ("additionalProperties": false) and
// the ones it requires.
const SARIF_OBJECTS: Record<string, { allowed: string[]; required: string[] }> = {
  log: { allowed: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'], required: ['version', 'runs'] },
  run: {
    allowed: ['tool', 'invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds', 'artifacts', 'logicalLocations', 'graphs', 'results', 'automationDetails', 'runAggregates', 'baselineGuid', 'redactionTokens', 'defaultEncoding', 'defaultSourceLanguage', 'newlineSequences', 'columnKind', 'externalPropertyFileReferences', 'threadFlowLocations', 'taxonomies', 'addresses', 'translations', 'policies', 'webRequests', 'webResponses', 'specialLocations', 'properties'],
    required: ['tool'],
  },
  tool: { allowed: ['driver', 'extensions', 'properties'], required: ['driver'] },
  driver: {
    allowed: ['guid', 'name', 'organization', 'product', 'productSuite', 'shortDescription', 'fullDescription', 'fullName', 'version', 'semanticVersion', 'dottedQuadFileVersion', 'releaseDateUtc', 'downloadUri', 'informationUri', 'globalMessageStrings', 'notifications', 'rules', 'taxa', 'locations', 'language', 'contents', 'isComprehensive', 'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion', 'associatedComponent', 'translationMetadata', 'supportedTaxonomies', 'properties'],
    required: ['name'],
  },
  rule: {
    allowed: ['id', 'deprecatedIds', 'guid', 'deprecatedGuids', 'name', 'deprecatedNames', 'shortDescription', 'fullDescription', 'messageStrings', 'defaultConfiguration', 'helpUri', 'help', 'relationships', 'properties'],
    required: ['id'],
  },
  result: {
    allowed: ['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'guid', 'correlationGuid', 'occurrenceCount', 'partialFingerprints', 'fingerprints', 'stacks', 'codeFlows', 'graphs', 'graphTraversals', 'relatedLocations', 'suppressions', 'baselineState', 'rank', 'attachments', 'hostedViewerUri', 'workItemUris', 'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse', 'properties'],
    required: ['message'],
  },
  location: { allowed: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'], required: [] },
  physicalLocation: { allowed: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'], required: ['artifactLocation'] },
  artifactLocation: { allowed: ['uri', 'uriBaseId', 'index', 'description', 'properties'], required: [] },
  region: { allowed: ['startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'byteOffset', 'byteLength', 'snippet', 'message', 'sourceLanguage', 'properties'], required: ['startLine'] },
};

function check(kind: keyof typeof SARIF_OBJECTS, o: unknown, where: string): Record<string, unknown> {
  assert.ok(o !== null && typeof o === 'object' && !Array.isArray(o), `${where} is an object`);
  const obj = o as Record<string, unknown>;
  const spec = SARIF_OBJECTS[kind]!;
  for (const k of Object.keys(obj)) assert.ok(spec.allowed.includes(k), `${where}: "${k}" is not a ${kind} property`);
  for (const k of spec.required) assert.ok(k in obj, `${where}: ${kind} requires "${k}"`);
  return obj;
}

test('sarif is a valid SARIF 2.1.0 log: rules for the eight rules, results at the log line', () => {
  withFiles({ 'runs/exp 1/train.log': blowUpLog(), 'overfit.log': overfitLog() }, (dir) => {
    const logPath = path.join(dir, 'runs/exp 1/train.log');
    const r = cli('analyze', logPath, path.join(dir, 'overfit.log'), '--format', 'sarif');
    assert.equal(r.status, 0, r.stderr);
    const log = check('log', JSON.parse(r.stdout), 'log');
    assert.equal(log.version, '2.1.0');
    const runs = log.runs as unknown[];
    assert.equal(runs.length, 1);
    const run = check('run', runs[0], 'run');
    const driver = check('driver', check('tool', run.tool, 'tool').driver, 'driver');
    assert.equal(driver.name, 'lr-lens');
    const rules = (driver.rules as unknown[]).map((x, i) => check('rule', x, `rule ${i}`));
    assert.deepEqual(rules.map((x) => x.id), [...RULES]);
    for (const rule of rules) assert.match(String((rule.shortDescription as { text: string }).text), /\w/);
    const results = (run.results as unknown[]).map((x, i) => check('result', x, `result ${i}`));
    assert.ok(results.length >= 2);
    const lines = blowUpLog().split('\n');
    for (const res of results) {
      assert.ok(['none', 'note', 'warning', 'error'].includes(res.level as string));
      assert.equal(typeof (res.message as { text: string }).text, 'string');
      assert.equal(rules[res.ruleIndex as number]!.id, res.ruleId);
      const loc = check('location', (res.locations as unknown[])[0], 'location');
      const phys = check('physicalLocation', loc.physicalLocation, 'physicalLocation');
      const art = check('artifactLocation', phys.artifactLocation, 'artifactLocation');
      assert.doesNotMatch(String(art.uri), /\s/, 'uri-reference has no spaces');
      const region = check('region', phys.region, 'region');
      assert.ok(Number.isInteger(region.startLine) && (region.startLine as number) >= 1);
      if (res.ruleId === 'divergence') {
        assert.match(String(art.uri), /exp%201\/train\.log$/);
        assert.match(lines[(region.startLine as number) - 1]!, /^step \d+\/600 \| loss/);
      }
    }
  });
});

test('artifact URIs: relative paths stay relative, absolute ones become file URIs, spaces are encoded', () => {
  assert.equal(artifactUri('runs/exp 1/train.log'), 'runs/exp%201/train.log');
  assert.equal(artifactUri('/data/run#3/log.txt'), 'file:///data/run%233/log.txt');
  assert.equal(artifactUri('C:\\runs\\a b.log'), 'file:///C:/runs/a%20b.log');
});

test('--sweep ranks the runs of a folder and names the LR boundaries', () => {
  const files: Record<string, string> = {};
  [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3].forEach((lr, i) => (files[`sweep/lr_${lr}.log`] = sweepLog(lr, i + 1)));
  withFiles(files, (dir) => {
    const json = cli('analyze', '--sweep', path.join(dir, 'sweep'), '--format', 'json');
    assert.equal(json.status, 0, json.stderr);
    const out = JSON.parse(json.stdout) as JsonOut;
    const g = out.sweep!.groups[0]!;
    assert.equal(g.best?.lr, 1e-3);
    assert.equal(g.unstableFrom, 3e-3);
    assert.equal(g.tooSlowUpTo, 1e-4);
    const text = cli('analyze', '--sweep', path.join(dir, 'sweep'));
    assert.match(text.stdout, /^sweep$/m);
    assert.match(text.stdout, /Training was unstable at LR 3e-3 and above\. It was too slow at LR 1e-4 and below\. Recommended LR: /);
  });
});
