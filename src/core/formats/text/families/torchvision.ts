// torchvision's reference scripts (`references/*/utils.py` MetricLogger):
//
//   Epoch: [0]  [  100/782]  eta: 0:39:29  lr: 0.1  img/s: 45.2  loss: 6.9402 (6.9731)  acc1: 0.0000 (0.1550)  acc5: 0.7812 (0.6200)  time: 3.0305  data: 2.1234  max mem: 10234
//   Test:  [ 0/100]  eta: 0:00:45  loss: 0.8012 (0.8012)  acc1: 80.0000 (80.0000)  acc5: 95.0000 (95.0000)  time: 0.4500  data: 0.3000  max mem: 10234
//   Test:  Acc@1 76.130 Acc@5 92.862
//
// Epochs count from 0 and `[i/N]` is the batch (0-based) within the epoch; each meter
// prints its windowed median then, in parentheses, its global average (skipped). `Test`
// lines are the evaluation after the epoch: `test/loss`, `test/Acc@1`, at the step
// training reached.
import { Tok } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class TorchvisionFamily implements TextFamily {
  readonly id = 'torchvision';

  line(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    if (f.n === 0) return Verdict.NO;
    if (f.epochTok === 0 && t.kind[1] === Tok.COLON && t.kind[2] === Tok.LBRACK && f.bareN > 0) {
      host.counterIsBatch();
      return Verdict.ADJUSTED;
    }
    if (t.isWord(0, 'test') && t.kind[1] === Tok.COLON) return Verdict.ADJUSTED;
    return Verdict.NO;
  }
}
