// Hyperparameters printed as an argparse `Namespace(...)` (nanoGPT's "Overriding config
// with", many scripts' `print(args)`):
//
//   Namespace(task='linreg', optimizer='RMSprop', lr=0.17432, momentum=0.0, scheduler={'name': 'StepLR', 'gamma': 0.1}, epochs=20)
//
// become the run's hparams (`lr`, `optimizer`, `scheduler.name`, `scheduler.gamma`, ...);
// the line gives no points.
import type { HParamValue } from '../../../model/run';
import { Tok, type Tokens } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class ArgsDumpFamily implements TextFamily {
  readonly id = 'args';

  line(l: FamilyLine, host: FamilyHost): Verdict {
    const t = l.tokens;
    let open = -1;
    for (let i = 0; i + 1 < t.n && i < 12; i++)
      if (t.isWord(i, 'namespace') && t.kind[i + 1] === Tok.LPAREN && t.space[i + 1] === 0) {
        open = i + 1;
        break;
      }
    if (open < 0) return Verdict.NO;
    readAssignments(t, open + 1, host.hparams, '');
    return Verdict.DONE;
  }
}

/** Reads `key=value, …` (or `'key': value, …` inside a dict) from token `i`; returns where it stopped. */
function readAssignments(t: Tokens, i: number, out: Record<string, HParamValue>, prefix: string): number {
  while (i < t.n) {
    const k = t.kind[i];
    if (k === Tok.RPAREN || k === Tok.RBRACE) return i + 1;
    if ((k === Tok.WORD || k === Tok.STRING) && i + 2 < t.n && (t.kind[i + 1] === Tok.EQ || t.kind[i + 1] === Tok.COLON)) {
      const key = prefix + t.str(i);
      const v = i + 2;
      const vk = t.kind[v];
      if (vk === Tok.NUM) out[key] = t.num[v]!;
      else if (vk === Tok.STRING) out[key] = t.str(v);
      else if (vk === Tok.WORD) {
        const w = t.lower(v);
        if (w === 'true' || w === 'false') out[key] = w === 'true';
        else if (w !== 'none') out[key] = t.str(v);
      } else if (vk === Tok.LBRACE) {
        i = readAssignments(t, v + 1, out, key + '.');
        continue;
      }
      i = v + 1;
      continue;
    }
    i++;
  }
  return i;
}
