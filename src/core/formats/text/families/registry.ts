// The per-family recognisers, in the order they first look at a line.
import { ArgsDumpFamily } from './argsDump';
import { Detectron2Family } from './detectron2';
import { FairseqFamily } from './fairseq';
import type { TextFamily } from './family';
import { HfTrainerFamily } from './hfTrainer';
import { KerasFamily } from './keras';
import { LlmcFamily } from './llmc';
import { MegatronFamily } from './megatron';
import { MmengineFamily } from './mmengine';
import { NanoGptFamily } from './nanogpt';
import { TorchvisionFamily } from './torchvision';
import { TqdmFamily } from './tqdm';
import { UltralyticsFamily } from './ultralytics';

/** Fresh recognisers for one file (some remember headers). */
export function createFamilies(): TextFamily[] {
  return [
    new NanoGptFamily(),
    new LlmcFamily(),
    new HfTrainerFamily(),
    new KerasFamily(),
    new UltralyticsFamily(),
    new TqdmFamily(),
    new MmengineFamily(),
    new TorchvisionFamily(),
    new Detectron2Family(),
    new FairseqFamily(),
    new MegatronFamily(),
    new ArgsDumpFamily(),
  ];
}
