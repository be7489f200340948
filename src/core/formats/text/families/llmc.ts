// llm.c: the C/CUDA trainer's `main.log` (`s:0 trl:11.0091 lr:0.000001 norm:15.37`,
// `s:250 tel:6.3097`) and its console (`step   10/5000 | train loss 4.1 | norm 1.2 |
// lr 6.00e-04 | 812.3 ms | 41.2% bf16 MFU | 645433 tok/s`). `trl`/`tel` are the train
// and validation losses; `norm` the gradient norm.
import { Tok } from '../tokens';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './family';

export class LlmcFamily implements TextFamily {
  readonly id = 'llm.c';

  line(l: FamilyLine, _host: FamilyHost): Verdict {
    const t = l.tokens;
    const f = l.facts;
    if (f.stepTok !== 0) return Verdict.NO;
    // `s:N key:value …`
    if (t.isWord(0, 's') && t.kind[1] === Tok.COLON) return Verdict.ADJUSTED;
    // `step N/T | train loss …`
    if (t.isWord(0, 'step') && t.kind[1] === Tok.FRAC && t.kind[2] === Tok.SEP && f.n > 0) return Verdict.ADJUSTED;
    return Verdict.NO;
  }
}
