import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { readBytes } from '../../src/core/formats/registry';
import { divergingLog, healthyLog } from '../support/sampleRuns';

const runOf = (content: string | Uint8Array) =>
  readBytes('train.log', typeof content === 'string' ? new TextEncoder().encode(content) : content).runs[0]!;

test('loss becoming NaN is an error at its first step and line, next to the LR peak', () => {
  const sample = divergingLog();
  const findings = analyzeRun(runOf(sample.content));
  const f = findings.find((x) => x.rule === 'divergence');
  assert.ok(f, 'divergence found');
  assert.equal(f.severity, 'error');
  assert.equal(f.step, 1040);
  const lines = String(sample.content).split('\n');
  assert.match(lines[f.line! - 1]!, /^step 1040\/5000 \| loss nan/);
  assert.match(f.message, /Loss became NaN at step 1040, 40 steps after the LR reached its peak 3e-3/);
  assert.equal(f.evidence.lrAtOnset, 0.003);
  assert.equal(f.suggestions[0]?.fix, 'scale_lr');
});

test('a healthy run has no divergence', () => {
  const findings = analyzeRun(runOf(healthyLog().content));
  assert.deepEqual(findings.filter((f) => f.rule === 'divergence'), []);
});

test('infinite loss is reported as infinite', () => {
  const findings = analyzeRun(runOf('step 1 | loss 2\nstep 2 | loss inf\n'));
  assert.match(findings[0]!.message, /became infinite at step 2/);
});
