// nanoGPT and modded-nanogpt console output:
//
//   iter 100: loss 2.3010, time 45.21ms, mfu 12.31%
//   step 250: train loss 1.9012, val loss 2.0134
//   step:125/6200 train_loss:4.2171 train_time:26703ms step_avg:213.62ms
//   step:125/6200 val_loss:4.1870 train_time:26718ms step_avg:213.74ms
//
// Times glued to their unit (`step_avg:nanms` before timing starts) are never values:
// the scanner makes them units, so no NaN loss comes from them.
import { Tok } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class NanoGptFamily implements TextFamily {
  readonly id = 'nanogpt';

  line(l: FamilyLine, _host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    if (f.stepTok !== 0 || f.n === 0) return Verdict.NO;
    // `iter N: …`, `step N: …`
    if ((t.isWord(0, 'iter') || t.isWord(0, 'step')) && t.kind[1] === Tok.NUM && t.kind[2] === Tok.COLON) return Verdict.ADJUSTED;
    // `step:N/T key:value …`
    if (t.isWord(0, 'step') && t.kind[1] === Tok.COLON && t.kind[2] === Tok.FRAC) return Verdict.ADJUSTED;
    return Verdict.NO;
  }
}
