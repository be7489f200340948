// Typical learning-rate ranges per optimizer family, to tell "too low" from "too high".
//
// A run rarely says which direction its LR is wrong in; the optimizer's usual range
// does. These are the ranges practitioners and papers use, not hard limits:
// - Adam family: 1e-5 (fine-tuning: BERT used 2e-5…5e-5, Devlin et al. 2019) to 3e-3
//   (small models; Kingma & Ba's default is 1e-3, GPT-3 used 6e-4…6e-5 by size).
// - SGD: 1e-3 to 1 (ResNet: 0.1 at batch 256 with momentum 0.9, Goyal et al. 2017
//   scale it linearly with batch size; Keras' default is 0.01).
// - RMSprop 1e-4…1e-2 (Keras default 1e-3), Adagrad 1e-3…0.5 (PyTorch default 0.01),
//   Lion 1e-5…3e-4 (3–10× below AdamW, Chen et al. 2023), Muon 5e-3…0.1 (Jordan et al.
//   2024 use 0.02–0.05), LAMB 1e-3…1e-2 (You et al. 2020).

export interface LrPrior {
  /** torch.optim-style class name, for suggestions. */
  name: string;
  low: number;
  high: number;
  /** A sensible first value. */
  typical: number;
}

const PRIORS: Record<string, LrPrior> = {
  adam: { name: 'Adam', low: 1e-5, high: 3e-3, typical: 1e-3 },
  adamw: { name: 'AdamW', low: 1e-5, high: 3e-3, typical: 1e-3 },
  nadam: { name: 'NAdam', low: 1e-5, high: 3e-3, typical: 1e-3 },
  radam: { name: 'RAdam', low: 1e-5, high: 3e-3, typical: 1e-3 },
  adamax: { name: 'Adamax', low: 1e-5, high: 4e-3, typical: 2e-3 },
  sgd: { name: 'SGD', low: 1e-3, high: 1, typical: 0.1 },
  rmsprop: { name: 'RMSprop', low: 1e-4, high: 1e-2, typical: 1e-3 },
  adagrad: { name: 'Adagrad', low: 1e-3, high: 0.5, typical: 1e-2 },
  lion: { name: 'Lion', low: 1e-5, high: 3e-4, typical: 1e-4 },
  muon: { name: 'Muon', low: 5e-3, high: 0.1, typical: 0.02 },
  lamb: { name: 'LAMB', low: 1e-3, high: 1e-2, typical: 2e-3 },
};

/**
 * With the optimizer unknown, only what is unusual for every optimizer above: from the
 * lowest low end (1e-5) to the highest high end (1, SGD). An LR of 60 is far too high
 * whatever it drives. Its first value is SGD's, the only family whose range comes near
 * an LR that high.
 */
const ANY: LrPrior = { name: 'any common optimizer', low: 1e-5, high: 1, typical: 0.1 };

/** The prior for an optimizer family id as `AnalysisContext.optimizer` spells it; the envelope of all of them when unknown. */
export function lrPriorOf(optimizer: string | undefined): LrPrior {
  return (optimizer ? PRIORS[optimizer] : undefined) ?? ANY;
}

/**
 * Where an LR sits against its optimizer's usual range: "far below" is more than 10×
 * under the low end, "far above" more than 10× over the high end. A factor of ten is
 * one decade, the step of a coarse LR sweep: being a whole decade outside the range
 * practitioners use is unusual enough to name.
 */
export function lrPosition(lr: number, prior: LrPrior | undefined): 'far_below' | 'below' | 'within' | 'above' | 'far_above' | undefined {
  if (!prior || !(lr > 0)) return undefined;
  if (lr < prior.low / 10) return 'far_below';
  if (lr < prior.low) return 'below';
  if (lr > prior.high * 10) return 'far_above';
  if (lr > prior.high) return 'above';
  return 'within';
}
