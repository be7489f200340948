// Keras `fit()` console output, Keras 1 to 3:
//
//   Epoch 3/20
//   50/50 - 0s - 3ms/step - loss: 0.4100 - val_loss: 0.5200 - lr: 1.0000e-03   (verbose=2, TF2)
//   50/50 [==============================] - 1s 10ms/step - loss: 0.41 - val_loss: 0.52
//   242s - loss: 3.6361 - acc: 0.2768 - val_loss: 1.5228 - val_acc: 0.5812     (Keras 1)
//
// `Epoch i/N` is a header the general reader keeps as context; a leading `i/N` is the
// batch within that epoch, so the step is `(epoch - 1) × N + i` (the epoch itself when
// there is no batch count, as in Keras 1). `Train on N samples` starts a `fit()` call;
// a second one continues the run (its epochs restart: see restarts).
import { Tok } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class KerasFamily implements TextFamily {
  readonly id = 'keras';

  line(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    // `Train on 40000 samples, validate on 10000 samples` (Keras 1 / TF1).
    if (t.isWord(0, 'train') && t.isWord(1, 'on') && (t.kind[2] === Tok.NUM || t.kind[2] === Tok.UNIT)) return Verdict.DONE;
    if (f.n === 0) return Verdict.NO;
    // Metrics joined by ` - ` with `key: value`: `… - loss: 0.41 - val_loss: 0.52`.
    const k0 = f.keyTok[0]!;
    if (k0 < 2 || t.kind[k0 - 1] !== Tok.SEP || t.text.charCodeAt(t.start[k0 - 1]!) !== 45 || t.kind[k0 + 1] !== Tok.COLON) return Verdict.NO;
    if (f.step === f.step || f.epoch === f.epoch) return Verdict.NO;
    if (t.kind[0] === Tok.FRAC) host.counterIsBatch();
    return Verdict.ADJUSTED;
  }
}
