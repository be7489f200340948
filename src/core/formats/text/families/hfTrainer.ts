// Hugging Face `Trainer` console output: the `***** Running training *****` header and
// the dict lines `{'loss': 0.51, 'grad_norm': 1.2, 'learning_rate': 4.9e-05, 'epoch': 0.1}`.
//
// The dict lines carry no step, only a fractional epoch. When the header states both
// `Num Epochs` and `Total optimization steps`, the step is `round(epoch × steps per
// epoch)`; otherwise training lines are numbered by order and an evaluation line
// (`eval_*` keys) takes the step of the training line with the same epoch. The final
// summary (`train_runtime`, `train_loss`) sits at the last training step.
import { Tok } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class HfTrainerFamily implements TextFamily {
  readonly id = 'hf-trainer';
  private epochs = NaN;
  private total = NaN;
  private lastTrainEpoch = NaN;
  private lastTrainStep = NaN;

  reset(): void {
    this.epochs = this.total = this.lastTrainEpoch = this.lastTrainStep = NaN;
  }

  line(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    if (t.kind[0] === Tok.SEP && t.isWord(1, 'running')) return Verdict.DONE; // ***** Running training *****
    if (t.kind[0] === Tok.LBRACE && t.kind[1] === Tok.STRING) return this.dict(l, host);
    if (f.n === 1 && t.space[0] === 1 && t.kind[0] === Tok.WORD) {
      const key = f.keys[0]!.toLowerCase();
      const v = f.values[0]!;
      if (key === 'num epochs') {
        this.epochs = v;
        host.meta.plannedEpochs = v;
      } else if (key === 'total optimization steps') {
        this.total = v;
        host.meta.plannedSteps = v;
      } else if (key !== 'num examples' && key !== 'instantaneous batch size per device' && key !== 'gradient accumulation steps') return Verdict.NO;
      if (this.epochs > 0 && this.total > 0) host.meta.stepsPerEpoch = this.total / this.epochs;
      return Verdict.DONE;
    }
    return Verdict.NO;
  }

  private dict(l: FamilyLine, host: FamilyHost): Verdict {
    const f = l.facts;
    if (f.n === 0 && f.epoch !== f.epoch) return Verdict.NO;
    const epoch = f.epoch;
    let train = false;
    let evaluation = false;
    let summary = false;
    for (let i = 0; i < f.n; i++) {
      const k = f.keys[i]!;
      if (k.startsWith('eval_')) evaluation = true;
      else if (k === 'train_runtime') summary = true;
      else if (k === 'loss' || k === 'learning_rate' || k === 'grad_norm') train = true;
    }
    const spe = host.meta.stepsPerEpoch ?? NaN;
    let step: number;
    if (f.step === f.step) step = f.step;
    else if (spe > 0 && epoch === epoch) step = Math.round(epoch * spe);
    else if (evaluation && !train) step = epoch === this.lastTrainEpoch ? this.lastTrainStep : host.steps.nextOrdinal();
    else if (summary) step = this.lastTrainStep === this.lastTrainStep ? this.lastTrainStep : host.steps.nextOrdinal();
    else step = host.steps.nextOrdinal();
    if (train || (!evaluation && !summary)) {
      this.lastTrainEpoch = epoch;
      this.lastTrainStep = step;
    }
    host.fixStep(step);
    return Verdict.ADJUSTED;
  }
}
