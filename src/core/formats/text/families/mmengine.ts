// OpenMMLab logs: mmengine's LogProcessor and mmcv 1.x's TextLoggerHook.
//
//   2023/03/01 12:00:00 - mmengine - INFO - Epoch(train)  [3][100/500]  base_lr: 1.0000e-03 lr: 1.0000e-03  eta: 0:12:00  time: 0.2100  data_time: 0.0100  memory: 3000  grad_norm: 3.1  loss: 0.8123
//   2023/03/01 12:05:00 - mmengine - INFO - Epoch(val) [3][50/50]    accuracy/top1: 76.1200  data_time: 0.0100  time: 0.0500
//   2023/03/01 12:00:00 - mmengine - INFO - Iter(train) [  100/10000]  lr: 1.0000e-02  eta: …  loss: 0.8123
//   2021-03-01 12:00:00,000 - mmdet - INFO - Epoch [3][100/500]	lr: 1.000e-02, eta: 0:10:00, time: 0.210, data_time: 0.010, memory: 3000, loss_cls: 0.3, loss: 0.8
//   2021-03-01 12:05:00,000 - mmdet - INFO - Epoch(val) [3][500]	bbox_mAP: 0.3790, bbox_mAP_50: 0.5810
//
// `[epoch][i/N]`: the bracketed `i/N` is the batch within the epoch (1-based, N per
// epoch); `Iter(train) [i/N]` is the global iteration out of N. Validation lines carry
// the phase (`val/accuracy/top1`) and sit at the end of their epoch.
import { Tok } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class MmengineFamily implements TextFamily {
  readonly id = 'mmengine';

  line(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    const e = f.epochTok >= 0 ? f.epochTok : f.stepTok;
    if (e < 0) return Verdict.NO;
    const w = t.lower(e);
    if (w.startsWith('epoch(') || w.startsWith('iter(')) {
      if (f.epochTok >= 0 && f.bareN > 0) host.counterIsBatch();
      return Verdict.ADJUSTED;
    }
    // mmcv 1.x: `Epoch [3][100/500]`
    if (w === 'epoch' && t.kind[e + 1] === Tok.LBRACK && f.bareN > 0 && f.bareBracket[0] === 1 && f.bareTok[0]! > e) {
      host.counterIsBatch();
      return Verdict.ADJUSTED;
    }
    return Verdict.NO;
  }
}
