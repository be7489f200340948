import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changesSchedule, formatDuration, formatEpoch, formatExponent, formatLr, formatStep, formatStepTick, formatValue, formatX, ruleName, suggestionText } from '../../webview/format';

test('learning rates read as ML engineers write them', () => {
  assert.equal(formatLr(3e-4), '3e-4');
  assert.equal(formatLr(0.0003), '3e-4');
  assert.equal(formatLr(6.5e-5), '6.5e-5');
  assert.equal(formatLr(1e-3), '1e-3');
  assert.equal(formatLr(2.997e-3, 4), '2.997e-3');
  assert.equal(formatLr(0.1), '0.1');
  assert.equal(formatLr(1), '1');
  assert.equal(formatLr(0), '0');
  assert.equal(formatLr(NaN), 'NaN');
});

test('exponent notation has no plus sign and no trailing zeros', () => {
  assert.equal(formatExponent(1.2e6), '1.2e6');
  assert.equal(formatExponent(-3e-8), '-3e-8');
  assert.equal(formatExponent(1.23456e-5, 3), '1.23e-5');
});

test('loss values are decimal when they read well, exponent when tiny or huge', () => {
  assert.equal(formatValue(2.41318), '2.413');
  assert.equal(formatValue(2.41318, 6), '2.41318');
  assert.equal(formatValue(0.0123), '0.0123');
  assert.equal(formatValue(1520), '1520');
  assert.equal(formatValue(15_200), '15,200');
  assert.equal(formatValue(3e-5), '3e-5');
  assert.equal(formatValue(1.2e7), '1.2e7');
  assert.equal(formatValue(Infinity), 'inf');
});

test('steps have thousands separators; ticks get compact once long', () => {
  assert.equal(formatStep(1040), '1,040');
  assert.equal(formatStep(1_000_000), '1,000,000');
  assert.equal(formatStep(-2500), '-2,500');
  assert.equal(formatStepTick(2500), '2,500');
  assert.equal(formatStepTick(125_000), '125k');
  assert.equal(formatStepTick(12_500), '12.5k');
  assert.equal(formatStepTick(999_999), '1M');
  assert.equal(formatStepTick(1_250_000), '1.25M');
});

test('relative time reads like a training clock', () => {
  assert.equal(formatDuration(45), '45s');
  assert.equal(formatDuration(150), '2m 30s');
  assert.equal(formatDuration(4800), '1h 20m');
  assert.equal(formatDuration(3600), '1h');
  assert.equal(formatDuration(97_200), '1d 3h');
  assert.equal(formatDuration(0.5), '0.5s');
  assert.equal(formatDuration(0), '0s');
});

test('x positions and rule names', () => {
  assert.equal(formatEpoch(2.3456), '2.35');
  assert.equal(formatEpoch(3), '3');
  assert.equal(formatX('step', 12_000), 'step 12,000');
  assert.equal(formatX('epoch', 2.5), 'epoch 2.5');
  assert.equal(formatX('time', 4800), '1h 20m');
  assert.equal(ruleName('lr_collapse'), 'LR collapse');
  assert.equal(ruleName('loss_spike'), 'loss spike');
  assert.equal(ruleName('divergence'), 'divergence');
});

test('suggestions read with their numbers', () => {
  assert.equal(suggestionText({ fix: 'scale_lr', factor: 0.3 }), 'LR ×0.3');
  assert.equal(suggestionText({ fix: 'add_warmup', steps: 2000 }), 'warmup 2,000 steps');
  assert.equal(suggestionText({ fix: 'add_schedule', family: 'cosine_warm_restarts', params: {} }), 'cosine warm restarts schedule');
  assert.equal(suggestionText({ fix: 'switch_optimizer', optimizer: 'AdamW', lr: 3e-4 }), 'AdamW at 3e-4');
  assert.equal(suggestionText({ fix: 'add_reduce_on_plateau', patience: 5, factor: 0.5 }), 'ReduceLROnPlateau (patience 5, ×0.5)');
  assert.equal(changesSchedule({ fix: 'scale_lr', factor: 0.3 }), true);
  assert.equal(changesSchedule({ fix: 'clip_grad_norm', maxNorm: 1 }), false);
});
