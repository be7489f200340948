// fairseq's progress bars (`--log-format simple` and the older default):
//
//   2020-10-13 10:00:00 | INFO | train_inner | epoch 001:    100 / 1563 loss=9.123, nll_loss=8.9, ppl=478.5, wps=12345.6, ups=3.2, wpb=3840, bsz=128, num_updates=100, lr=1.25e-05, gnorm=2.345, loss_scale=128, train_wall=31, gb_free=10.2, wall=35
//   2020-10-13 10:05:00 | INFO | train | epoch 001 | loss 9.01 | nll_loss 8.8 | ppl 446.2 | … | num_updates 1563 | lr 0.0005 | gnorm 1.9 | …
//   2020-10-13 10:05:00 | INFO | valid | epoch 001 | valid on 'valid' subset | loss 8.5 | nll_loss 8.3 | ppl 315 | … | num_updates 1563
//   | epoch 027 | loss 4.2 | nll_loss 2.5 | ppl 5.66 | wps 9870 | ups 3 | wpb 3456 | bsz 128 | num_updates 12345 | lr 0.0005 | gnorm 0.5 | clip 0.000 | oom 0.000 | loss_scale 8.000 | wall 12345 | train_wall 1234
//
// `num_updates` is the optimizer step on every line (the `100 / 1563` is the batch within
// the epoch); a `valid` segment puts the line's metrics under `val/`.
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class FairseqFamily implements TextFamily {
  readonly id = 'fairseq';

  line(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    if (f.stepTok < 0 || !t.isWord(f.stepTok, 'num_updates')) return Verdict.NO;
    host.fixStep(f.step);
    return Verdict.ADJUSTED;
  }
}
