// detectron2's CommonMetricPrinter (logger `d2.utils.events`):
//
//   [01/20 17:35:21 d2.utils.events]:  eta: 0:01:35  iter: 19  total_loss: 2.081  loss_cls: 0.7165  loss_box_reg: 0.6458  time: 0.3446  last_time: 0.3216  data_time: 0.0084  last_data_time: 0.0043   lr: 1.6068e-05  max_mem: 2683M
//
// `iter` is the 0-based iteration; losses are medians over a window; `eta` is a
// duration and `max_mem` a size, neither a value. The bracketed timestamp is a date.
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class Detectron2Family implements TextFamily {
  readonly id = 'detectron2';

  line(l: FamilyLine, _host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    if (f.stepTok < 0 || f.n === 0 || !t.isWord(f.stepTok, 'iter')) return Verdict.NO;
    if (f.indexOf('total_loss') < 0) {
      // The logger name `d2.utils.events`, within this line.
      const d2 = l.text.indexOf('d2.', l.start);
      if (d2 < 0 || d2 >= l.end) return Verdict.NO;
    }
    return Verdict.ADJUSTED;
  }
}
