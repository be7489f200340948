// Megatron-LM's `training_log` and evaluation lines:
//
//    iteration      100/  500000 | consumed samples:        51200 | elapsed time per iteration (ms): 1234.5 | learning rate: 1.500E-04 | global batch size:   512 | lm loss: 7.123456E+00 | loss scale: 65536.0 | grad norm: 2.345 | number of skipped iterations:   0 | number of nan iterations:   0 |
//    validation loss at iteration 1000 | lm loss value: 5.123456E+00 | lm loss PPL: 1.678301E+02 |
//
// `learning rate`, `lm loss`, `loss scale`, `grad norm` are multi-word keys; `number of
// nan iterations` is a count, not a NaN. Validation values become `val/lm loss`.
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class MegatronFamily implements TextFamily {
  readonly id = 'megatron';

  line(l: FamilyLine, _host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    if (f.stepTok < 0 || f.n === 0) return Verdict.NO;
    if (t.isWord(f.stepTok, 'iteration') && f.stepTotal === f.stepTotal) return Verdict.ADJUSTED;
    if (t.isWord(f.stepTok, 'validation')) {
      // `lm loss value` is the validation `lm loss`.
      for (let i = 0; i < f.n; i++) if (f.keys[i]!.endsWith(' value')) f.keys[i] = f.keys[i]!.slice(0, -6);
      return Verdict.ADJUSTED;
    }
    return Verdict.NO;
  }
}
