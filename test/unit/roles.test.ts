import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRoleRules, roleOfTag } from '../../src/core/model/roles';

test('framework tag names get their roles', () => {
  const cases: [string, string][] = [
    ['loss', 'train_loss'],
    ['train/loss', 'train_loss'],
    ['Loss/train', 'train_loss'],
    ['train_loss_step', 'train_loss'],
    ['eval_loss', 'val_loss'],
    ['val/loss', 'val_loss'],
    ['Loss/test', 'val_loss'],
    ['validation/epoch_loss', 'val_loss'],
    ['lm loss', 'train_loss'],
    ['trl', 'train_loss'],
    ['tel', 'val_loss'],
    ['lr', 'lr'],
    ['learning_rate', 'lr'],
    ['learning rate', 'lr'],
    ['lr-Adam', 'lr'],
    ['lr-AdamW/pg1', 'lr'],
    ['x/lr0', 'lr'],
    ['train/learning_rate', 'lr'],
    ['grad_norm', 'grad_norm'],
    ['norm', 'grad_norm'],
    ['loss_scale', 'loss_scale'],
    ['epoch', 'epoch'],
    ['val_accuracy', 'val_metric'],
    ['metrics/mAP_0.5', 'train_metric'],
    ['rollout/ep_rew_mean', 'train_metric'],
    ['time/fps', 'other'],
    ['hp_metric', 'other'],
    ['train/epoch', 'epoch'],
    ['train/epoch_loss', 'train_loss'],
    ['validation/evaluation_loss_vs_iterations', 'val_loss'],
  ];
  for (const [tag, role] of cases) assert.equal(roleOfTag(tag), role, tag);
});

test('user rules win over the built-in table and bad patterns are reported', () => {
  const rules = compileRoleRules([
    { pattern: '^objective$', role: 'train_loss' },
    { pattern: '([', role: 'lr' },
    { pattern: 'x', role: 'nonsense' as never },
  ]);
  assert.equal(roleOfTag('objective', rules), 'train_loss');
  assert.equal(roleOfTag('objective'), 'other');
  assert.equal(rules.invalid.length, 2);
});
