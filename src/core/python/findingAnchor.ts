// Where a run's finding belongs in the script that produced it: the line that set the
// learning rate, the schedule, or the optimizer step a fix would change.
import type { Finding } from '../analysis/finding';
import { lrTargets, mainOptimizer, mainScheduler } from './fixes';
import type { Range } from './parse';
import type { ScriptModel } from './scriptModel';

export interface FindingAnchor {
  /** 1-based line. */
  line: number;
  range: Range;
  /** What is at that line, in words ("the learning rate", "the scheduler"). */
  what: string;
}

/**
 * The place in the script a finding is about, chosen by the fix the finding suggests
 * first (then by its rule): LR changes anchor at the LR's definition (the assignment or
 * argparse default when the optimizer takes a variable), schedule changes at the
 * scheduler (or, without one, the LR), clipping at `optimizer.step()`.
 */
export function anchorForFinding(model: ScriptModel, f: Finding): FindingAnchor | undefined {
  const fix = f.suggestions[0]?.fix;
  const lrTarget = lrTargets(model)[0];
  const lrPlace = lrTarget?.value?.site ?? lrTarget?.value ?? lrTarget?.optimizer;
  const lrAnchor: FindingAnchor | undefined = lrPlace && { line: lrPlace.line, range: lrPlace.range, what: 'the learning rate' };
  const sched = mainScheduler(model);
  const schedAnchor: FindingAnchor | undefined =
    (sched && { line: sched.line, range: sched.range, what: 'the scheduler' }) ??
    (model.manualLr[0] && { line: model.manualLr[0].line, range: model.manualLr[0].range, what: 'the hand-written schedule' }) ??
    (model.trainingArguments[0]?.args.lr_scheduler_type && { line: model.trainingArguments[0].args.lr_scheduler_type.line, range: model.trainingArguments[0].args.lr_scheduler_type.range, what: 'the schedule' });
  const opt = mainOptimizer(model);
  const optAnchor: FindingAnchor | undefined = opt && { line: opt.line, range: opt.range, what: 'the optimizer' };
  const stepCall = model.steps.find((s) => s.kind === 'optimizer');
  const stepAnchor: FindingAnchor | undefined = stepCall && { line: stepCall.line, range: stepCall.range, what: 'the optimizer step' };

  const byFix = (): FindingAnchor | undefined => {
    switch (fix) {
      case 'scale_lr':
      case 'switch_optimizer':
        return lrAnchor ?? optAnchor;
      case 'add_warmup':
      case 'add_schedule':
      case 'step_per_epoch':
      case 'add_reduce_on_plateau':
        return schedAnchor ?? lrAnchor ?? optAnchor;
      case 'clip_grad_norm':
        return stepAnchor ?? optAnchor;
      case 'early_stop':
        return stepAnchor ?? optAnchor;
      case undefined:
        return undefined;
    }
  };
  const byRule = (): FindingAnchor | undefined => {
    switch (f.rule) {
      case 'lr_collapse':
      case 'warmup':
      case 'plateau':
        return schedAnchor ?? lrAnchor;
      case 'overfitting':
        return stepAnchor ?? optAnchor;
      default:
        return lrAnchor ?? optAnchor;
    }
  };
  return byFix() ?? byRule() ?? lrAnchor ?? optAnchor;
}
