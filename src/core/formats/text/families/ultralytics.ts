// Ultralytics YOLO console tables (YOLOv5 `train.py`, YOLOv8+ `engine/trainer.py`):
//
//         Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size
//         1/100      2.61G      1.234      2.345      1.123         45        640: 100%|██████████| 12/12 [00:05<00:00,  2.21it/s]
//                    Class     Images  Instances      Box(P          R      mAP50  mAP50-95): 100%|██████████| 2/2 [00:00<00:00,  4.50it/s]
//                      all        128        929      0.641      0.537       0.61      0.443
//
// (YOLOv5: `Epoch gpu_mem box obj cls labels img_size`, rows `0/299 3.37G 0.04663 …`,
// validation `Class Images Labels P R mAP@.5 mAP@.5:.95`.) A header names the columns;
// each row is redrawn by its progress bar and the last drawing per epoch counts. The
// step is the epoch as printed. Losses become `train/box_loss`, … and the `all` row of
// the validation table `metrics/precision`, `metrics/recall`, `metrics/mAP50`, … as in
// the run's `results.csv`.
import { Tok, type Tokens } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

const SKIP_COLUMNS = new Set(['gpu_mem', 'instances', 'labels', 'size', 'img_size', 'targets']);
const METRIC_NAMES: Record<string, string> = { p: 'precision', r: 'recall' };

export class UltralyticsFamily implements TextFamily {
  readonly id = 'ultralytics';
  /** Train table columns after `Epoch` (undefined: no header seen yet). */
  private train: (string | undefined)[] | undefined;
  /** Validation metric tags, for the numbers after `Images` and `Instances`. */
  private val: string[] | undefined;
  private epoch = NaN;

  reset(): void {
    this.train = this.val = undefined;
    this.epoch = NaN;
  }

  line(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    if (t.n < 3) return Verdict.NO;
    if (t.isWord(0, 'epoch') && t.kind[1] === Tok.WORD && t.kind[2] === Tok.WORD) return this.trainHeader(t);
    if (t.isWord(0, 'class') && (t.isWord(1, 'images') || t.isWord(2, 'images'))) return this.valHeader(t);
    if (this.train && t.kind[0] === Tok.FRAC) return this.trainRow(l, host);
    if (this.val && t.isWord(0, 'all') && t.kind[1] === Tok.NUM) return this.valRow(l, host);
    return Verdict.NO;
  }

  private trainHeader(t: Tokens): Verdict {
    const cols: (string | undefined)[] = [];
    let losses = 0;
    for (let i = 1; i < t.n; i++) {
      if (t.kind[i] !== Tok.WORD) return Verdict.NO;
      const name = t.lower(i);
      if (SKIP_COLUMNS.has(name)) cols.push(undefined);
      else {
        losses++;
        cols.push(`train/${name.endsWith('_loss') ? name : `${name}_loss`}`);
      }
    }
    if (losses === 0 || (!cols.includes(undefined) && losses < 2)) return Verdict.NO;
    this.train = cols;
    return Verdict.DONE;
  }

  private valHeader(t: Tokens): Verdict {
    const tags: string[] = [];
    let group = '';
    for (let i = 1; i < t.n && t.kind[i] !== Tok.COLON; i++) {
      const k = t.kind[i];
      if (k === Tok.LPAREN) continue;
      if (k === Tok.RPAREN) {
        group = '';
        continue;
      }
      if (k !== Tok.WORD && k !== Tok.UNIT) break;
      const raw = t.str(i);
      const name = raw.toLowerCase();
      if (name === 'images' || name === 'instances' || name === 'labels') continue;
      if ((name === 'box' || name === 'mask' || name === 'pose') && t.kind[i + 1] === Tok.LPAREN) {
        group = raw[0]!.toUpperCase();
        continue;
      }
      const base = METRIC_NAMES[name] ?? raw.replace('@.5:.95', '_0.5:0.95').replace('@.5', '_0.5');
      tags.push(`metrics/${base}${group ? `(${group})` : ''}`);
    }
    if (tags.length === 0) return Verdict.NO;
    this.val = tags;
    return Verdict.DONE;
  }

  private trainRow(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    const cols = this.train!;
    const epoch = t.num[0]!;
    let c = 0;
    const values: number[] = [];
    for (let i = 1; i < t.n && c < cols.length; i++) {
      const k = t.kind[i];
      if (k === Tok.COLON) break;
      if (k !== Tok.NUM && k !== Tok.UNIT) return Verdict.NO;
      values.push(k === Tok.NUM ? t.num[i]! : NaN);
      c++;
    }
    if (c < cols.length - 1) return Verdict.NO;
    this.epoch = epoch;
    if (host.meta.plannedEpochs === undefined) host.meta.plannedEpochs = t.den[0]!;
    for (let i = 0; i < values.length; i++) {
      const tag = cols[i];
      if (tag) host.point(tag, epoch, values[i]!, l.no);
    }
    host.steps.note(epoch);
    return Verdict.DONE;
  }

  private valRow(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    const tags = this.val!;
    const nums: number[] = [];
    for (let i = 1; i < t.n; i++) if (t.kind[i] === Tok.NUM) nums.push(t.num[i]!);
    // `all <images> <instances> <metrics…>`
    const skip = nums.length - tags.length;
    if (skip < 0) return Verdict.NO;
    const step = this.epoch === this.epoch ? this.epoch : host.steps.evaluation(NaN);
    for (let i = 0; i < tags.length; i++) host.point(tags[i]!, step, nums[skip + i]!, l.no);
    return Verdict.DONE;
  }
}
