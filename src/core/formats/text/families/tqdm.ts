// tqdm progress bars and PyTorch Lightning's TQDMProgressBar:
//
//   train:  45%|████▌     | 450/1000 [00:30<00:37, 14.8it/s, loss=0.234, lr=0.001]
//   Epoch 3:  45%|████▌     | 450/1000 [00:30<00:37, 14.8it/s, v_num=0, train_loss_step=0.220, val_loss=0.310, train_loss_epoch=0.240]
//
// A bar redraws itself (one line per redraw, see the line splitter); the `n/total`
// counter is the position, the postfix holds the metrics, and only the final value per
// position is kept. Lightning counts epochs from 0 and its bar total is the batches per
// epoch; its epoch-level metrics (`*_epoch`, `val_*`) repeat on every redraw, so they
// are recorded only when they change, at the position where they first appear (the end
// of the epoch they belong to). `v_num` is the logger version, not a metric.
import { Tok } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

const epochLevel = (key: string): boolean => key.endsWith('_epoch') || /^(val|valid|validation|test)[_/]/.test(key);

export class TqdmFamily implements TextFamily {
  readonly id = 'tqdm';

  line(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    if (f.n === 0 || f.bareN === 0) return Verdict.NO;
    // `NN%|` then the bar, then `n/total`.
    let bar = -1;
    for (let i = 0; i + 1 < t.n && i < 12; i++)
      if (t.kind[i] === Tok.PCT && t.kind[i + 1] === Tok.SEP && t.text.charCodeAt(t.start[i + 1]!) === 124) {
        bar = i;
        break;
      }
    if (bar < 0 || f.bareTok[0]! < bar) return Verdict.NO;
    const v = f.indexOf('v_num');
    if (v >= 0 || f.epochTok === 0) {
      // Lightning: `Epoch N: …` counts from 0.
      if (host.steps.epochBase !== host.steps.epochBase) host.steps.epochBase = 0;
      if (v >= 0) f.remove(v);
      host.onlyChanges(epochLevel);
    }
    if (f.epochTok >= 0) host.counterIsBatch();
    return Verdict.ADJUSTED;
  }
}
