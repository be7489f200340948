// Turns a line's counters into one global step, the way the log's author counted.
//
// - An explicit global counter (`step`, `iter`, `num_updates`) is the step.
// - An epoch with a batch index (`Epoch [2/20] Step [10/50]`, `Epoch(train) [2][10/50]`,
//   Keras' `Epoch 2/20` then `10/50`) gives `(epoch - base) * perEpoch + batch`, where
//   `base` is how the first epoch seen was numbered (0 or 1) and `perEpoch` the batch
//   total. A counter that starts again at each new epoch is recognised as a batch index
//   even when it is called `step`; one that keeps growing is a global step.
// - An epoch alone is the step, unless batches were seen: then it is the end of that
//   epoch (`Epoch [2/20] finished: …` after its batch lines).
// - Validation lines without their own step take the step training had reached.
// - Lines without any counter are numbered by order.

export class StepTracker {
  /** The last step given to a training line (NaN before any). */
  lastTrain = NaN;
  /** 0 or 1: the numbering of the first integer epoch seen. */
  epochBase = NaN;
  /** Batches per epoch, once a batch total was printed. */
  perEpoch = NaN;
  /** Epoch and step stated by a header line (`Epoch 3/20` alone), for the lines below it. */
  ctxEpoch = NaN;
  ctxStep = NaN;
  /** The last `train` step is the epoch itself (no batch or step counter). */
  fromEpoch = false;
  /** The counter seen with epochs restarts at each epoch (a batch index). */
  get perEpochCounter(): boolean {
    return this.resetting;
  }
  private resetting = false;
  private counterWithEpoch = false;
  private lastEpoch = NaN;
  private lastCounter = NaN;
  /** Without a batch total: the steps of the epochs before the current one. */
  private offset = 0;
  private maxInEpoch = 0;
  private ordinal = 0;

  /** Forgets everything (a new run starts in the same file). */
  reset(): void {
    this.lastTrain = this.epochBase = this.perEpoch = this.ctxEpoch = this.ctxStep = NaN;
    this.resetting = this.counterWithEpoch = this.fromEpoch = false;
    this.lastEpoch = this.lastCounter = NaN;
    this.offset = this.maxInEpoch = this.ordinal = 0;
  }

  /**
   * The step of a training line. `counter` is its step or batch index (NaN if none),
   * `total` the counter's `/M` (NaN if none), `isBatch` true when the counter is known to
   * be a batch index within the epoch. Returns NaN when the line has no counter at all.
   */
  train(epoch: number, counter: number, total: number, isBatch: boolean): number {
    let step: number;
    this.fromEpoch = false;
    if (epoch === epoch && this.epochBase !== this.epochBase && Number.isInteger(epoch)) this.epochBase = epoch >= 1 ? 1 : 0;
    if (counter === counter) {
      if (epoch === epoch) {
        if (isBatch) this.resetting = true;
        if (this.lastEpoch === this.lastEpoch) {
          if (epoch < this.lastEpoch) {
            // The epochs start again (a second fit, a restarted run): so do the offsets.
            this.offset = 0;
            this.maxInEpoch = 0;
          } else if (epoch > this.lastEpoch) {
            if (counter <= this.lastCounter) this.resetting = true;
            if (this.resetting) this.offset += this.maxInEpoch;
            this.maxInEpoch = 0;
          }
        }
        if (this.resetting && total === total && total > 0) this.perEpoch = total;
        this.lastEpoch = epoch;
        this.lastCounter = counter;
        this.counterWithEpoch = true;
        if (counter > this.maxInEpoch) this.maxInEpoch = counter;
        if (!this.resetting) step = counter;
        else if (this.perEpoch === this.perEpoch) step = (epoch - (this.epochBase === this.epochBase ? this.epochBase : 0)) * this.perEpoch + counter;
        else step = this.offset + counter;
      } else step = counter;
    } else if (epoch === epoch) {
      // An epoch summary after its batch lines sits at the end of that epoch.
      if (this.resetting && this.perEpoch === this.perEpoch && Number.isInteger(epoch))
        step = (epoch - this.epochBase + 1) * this.perEpoch;
      else if (this.counterWithEpoch && this.lastTrain === this.lastTrain) step = this.lastTrain;
      else {
        step = epoch;
        this.fromEpoch = true;
      }
    } else return NaN;
    this.lastTrain = step;
    return step;
  }

  /** The step for a validation or test line without its own global step. */
  evaluation(epoch: number): number {
    if (epoch === epoch && this.resetting && this.perEpoch === this.perEpoch && this.epochBase === this.epochBase && Number.isInteger(epoch))
      return (epoch - this.epochBase + 1) * this.perEpoch;
    if (this.lastTrain === this.lastTrain) return this.lastTrain;
    if (epoch === epoch) return epoch;
    return this.nextOrdinal();
  }

  /** The step of a line without any counter: the next one after the last step. */
  nextOrdinal(): number {
    const s = Math.max(this.ordinal, this.lastTrain === this.lastTrain ? this.lastTrain + 1 : 0);
    this.ordinal = s + 1;
    return s;
  }

  /** Records a step resolved elsewhere (a family's own numbering) as the training position. */
  note(step: number): void {
    this.lastTrain = step;
    if (step >= this.ordinal) this.ordinal = step + 1;
  }
}
