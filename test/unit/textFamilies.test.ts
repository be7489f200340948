// Console output of each framework family, generated here in the exact shape the
// framework prints it (format strings from each project's logger, cited per test),
// read through the text reader: tags, roles, steps, values and source lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextLogReader } from '../../src/core/formats/text/textReader';
import { enc, lines, readInChunks, series, steps, values } from '../support/readers';

function read(text: string) {
  const runs = readInChunks(new TextLogReader('x.log', 'x.log'), enc(text));
  return runs[runs.length - 1]!;
}

test('Keras 2/3 fit(verbose=2): step = epoch × batches, meta from `Epoch i/N`', () => {
  // keras/src/utils/progbar.py: "{n}/{N} - {t}s - {ms}ms/step - loss: … - val_loss: …"
  const log = [
    'Epoch 1/3',
    '50/50 - 1s - 12ms/step - loss: 0.9100 - accuracy: 0.6000 - val_loss: 0.8000 - val_accuracy: 0.6500 - learning_rate: 1.0000e-03',
    'Epoch 2/3',
    '50/50 - 0s - 3ms/step - loss: 0.4100 - accuracy: 0.8000 - val_loss: 0.5200 - val_accuracy: 0.7800 - learning_rate: 1.0000e-03',
    'Epoch 3/3',
    '50/50 - 0s - 3ms/step - loss: nan - accuracy: 0.1000 - val_loss: nan - val_accuracy: 0.1000 - learning_rate: 5.0000e-04',
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'keras');
  assert.equal(run.meta.plannedEpochs, 3);
  assert.equal(run.meta.stepsPerEpoch, 50);
  const loss = series(run, 'loss');
  assert.equal(loss.role, 'train_loss');
  assert.deepEqual(steps(loss), [50, 100, 150]);
  assert.deepEqual(values(loss).slice(0, 2), [0.91, 0.41]);
  assert.ok(Number.isNaN(values(loss)[2]!));
  assert.deepEqual(lines(loss), [2, 4, 6]);
  assert.equal(series(run, 'val_loss').role, 'val_loss');
  assert.equal(series(run, 'learning_rate').role, 'lr');
  assert.deepEqual(values(series(run, 'learning_rate')), [1e-3, 1e-3, 5e-4]);
});

test('Keras verbose=1 redraws: the last drawing per batch position is kept', () => {
  // A terminal progress bar written to a file: each redraw ends with `\r`, the epoch with `\n`.
  const log =
    'Epoch 1/2\n' +
    ' 1/4 [======>.......................] - ETA: 3s - loss: 2.3000\r' +
    ' 2/4 [==============>...............] - ETA: 1s - loss: 2.1000\r' +
    ' 4/4 [==============================] - 1s 10ms/step - loss: 1.9000 - val_loss: 1.8000\n' +
    'Epoch 2/2\n' +
    ' 1/4 [======>.......................] - ETA: 0s - loss: 1.7000\r' +
    ' 4/4 [==============================] - 0s 8ms/step - loss: 1.5000 - val_loss: 1.6000\n';
  const run = read(log);
  assert.deepEqual(steps(series(run, 'loss')), [1, 2, 4, 5, 8]);
  assert.deepEqual(values(series(run, 'loss')), [2.3, 2.1, 1.9, 1.7, 1.5]);
  assert.deepEqual(steps(series(run, 'val_loss')), [4, 8]);
  // Lines as the editor counts them: every `\r` ends one.
  assert.deepEqual(lines(series(run, 'loss')), [2, 3, 4, 6, 7]);
});

test('Keras 1 per-epoch lines: the step is the epoch', () => {
  const log = 'Train on 40000 samples, validate on 10000 samples\nEpoch 1/2\n242s - loss: 3.6361 - acc: 0.2768 - val_loss: 1.5228 - val_acc: 0.5812\nEpoch 2/2\n218s - loss: 1.1638 - acc: 0.6675 - val_loss: 0.5762 - val_acc: 0.8262\n';
  const run = read(log);
  assert.deepEqual(steps(series(run, 'loss')), [1, 2]);
  assert.deepEqual(values(series(run, 'val_acc')), [0.5812, 0.8262]);
  assert.equal(series(run, 'val_acc').role, 'val_metric');
});

test('Hugging Face Trainer dict lines: step from epoch × steps per epoch of the header', () => {
  // transformers Trainer.log prints the logs dict; the header comes from Trainer._inner_training_loop.
  const log = [
    '***** Running training *****',
    '  Num examples = 3200',
    '  Num Epochs = 2',
    '  Instantaneous batch size per device = 64',
    '  Total optimization steps = 100',
    "{'loss': 0.6931, 'grad_norm': 1.25, 'learning_rate': 4.9e-05, 'epoch': 0.2}",
    "{'loss': 0.5123, 'grad_norm': nan, 'learning_rate': 4.5e-05, 'epoch': 1.0}",
    "{'eval_loss': 0.5, 'eval_accuracy': 0.75, 'eval_runtime': 1.2, 'epoch': 1.0}",
    "{'loss': 0.41, 'grad_norm': 0.9, 'learning_rate': 2.5e-05, 'epoch': 1.5}",
    "{'train_runtime': 30.5, 'train_samples_per_second': 209.8, 'train_loss': 0.55, 'epoch': 2.0}",
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'hf-trainer');
  assert.equal(run.meta.stepsPerEpoch, 50);
  assert.equal(run.meta.plannedSteps, 100);
  assert.deepEqual(steps(series(run, 'loss')), [10, 50, 75]);
  assert.deepEqual(steps(series(run, 'eval_loss')), [50]);
  assert.equal(series(run, 'eval_loss').role, 'val_loss');
  assert.ok(Number.isNaN(values(series(run, 'grad_norm'))[1]!));
  assert.deepEqual(values(series(run, 'epoch')), [0.2, 1, 1.5, 2]);
  assert.deepEqual(steps(series(run, 'train_loss')), [100]);
});

test('Hugging Face dict lines without a header: numbered by order, evaluation at its training line', () => {
  const log = [
    "{'loss': 2.1, 'learning_rate': 5e-05, 'epoch': 0.5}",
    "{'loss': 1.9, 'learning_rate': 4e-05, 'epoch': 1.0}",
    "{'eval_loss': 1.95, 'epoch': 1.0}",
    "{'loss': 1.7, 'learning_rate': 3e-05, 'epoch': 1.5}",
  ].join('\n');
  const run = read(log);
  assert.deepEqual(steps(series(run, 'loss')), [0, 1, 2]);
  assert.deepEqual(steps(series(run, 'eval_loss')), [1]);
});

test('nanoGPT: `iter N: loss` and `step N: train loss, val loss`', () => {
  // karpathy/nanoGPT train.py print formats.
  const log = [
    'Overriding config with config/train_shakespeare_char.py:',
    'tokens per iteration will be: 16,384',
    'number of parameters: 10.65M',
    'step 0: train loss 4.2874, val loss 4.2823',
    'iter 0: loss 4.2649, time 12718.42ms, mfu -100.00%',
    'iter 10: loss 3.2253, time 37.14ms, mfu 10.03%',
    'step 250: train loss 1.9654, val loss 2.0669',
    'saving checkpoint to out-shakespeare-char',
    'iter 250: loss 2.0299, time 4571.50ms, mfu 9.12%',
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'nanogpt');
  assert.deepEqual(steps(series(run, 'loss')), [0, 10, 250]);
  assert.deepEqual(values(series(run, 'val loss')), [4.2823, 2.0669]);
  assert.equal(series(run, 'val loss').role, 'val_loss');
  assert.equal(series(run, 'train loss').role, 'train_loss');
  assert.deepEqual(values(series(run, 'mfu')), [-100, 10.03, 9.12]);
});

test('llm.c: `s:N trl: lr: norm:` main.log and the `step N/T |` console', () => {
  const mainLog = 's:0 tel:11.0092\ns:0 trl:11.0091 lr:0.000001 norm:15.37\ns:1 trl:10.9598 lr:0.000002 norm:15.24\ns:250 tel:6.3097\n';
  const run = read(mainLog);
  assert.equal(run.meta.family, 'llm.c');
  assert.equal(series(run, 'trl').role, 'train_loss');
  assert.equal(series(run, 'tel').role, 'val_loss');
  assert.equal(series(run, 'norm').role, 'grad_norm');
  assert.deepEqual(steps(series(run, 'tel')), [0, 250]);
  assert.deepEqual(values(series(run, 'lr')), [0.000001, 0.000002]);
  // llm.c train_gpt2.cu: "step %4d/%d | train loss %7.6f | norm %6.4f | lr %.2e | %.2f ms | %.1f%% bf16 MFU | %.0f tok/s"
  const console = 'step    1/74 | train loss 10.982150 | norm 15.3721 | lr 1.00e-06 | 1234.56 ms | 42.3% bf16 MFU | 123456 tok/s\nstep    2/74 | train loss 10.510300 | norm 11.0100 | lr 2.00e-06 | 812.30 ms | 44.1% bf16 MFU | 645433 tok/s\nval loss 10.4000\n';
  const c = read(console);
  assert.deepEqual(steps(series(c, 'train loss')), [1, 2]);
  assert.deepEqual(values(series(c, 'lr')), [1e-6, 2e-6]);
  assert.equal(c.meta.plannedSteps, 74);
});

test('modded-nanogpt: `step_avg:nanms` is never a NaN loss', () => {
  const log = [
    'step:0/6200 val_loss:10.9264 train_time:285ms step_avg:nanms',
    'step:1/6200 train_loss:10.9184 train_time:74701ms step_avg:nanms',
    'step:2/6200 train_loss:8.6834 train_time:75965ms step_avg:nanms',
    'step:13/6200 train_loss:6.5125 train_time:641ms step_avg:213.66ms',
  ].join('\n');
  const run = read(log);
  assert.deepEqual(run.series.map((s) => s.tag).sort(), ['train_loss', 'val_loss']);
  for (const s of run.series) assert.ok(values(s).every(Number.isFinite));
  assert.equal(run.meta.plannedSteps, 6200);
});

test('`key=value` and `key: value` lines with a step counter, timestamped', () => {
  const log = [
    '2026-11-23 14:54:19,086 INFO step=1 epoch=1 loss=1.131345 lr=1.985433e-02 grad_norm=2.4611',
    '2026-11-23 14:54:19,099 INFO step=25 epoch=1 loss=0.205562 lr=1.985433e-02 grad_norm=0.9840',
    '2026-11-23 14:54:19,116 INFO step=50 epoch=1 val_loss=0.034054',
    'Epoch [1/20] Step [1/50] loss: 1.1036 lr: 8.81e-03 grad_norm: 2.053',
  ].join('\n');
  const run = read(log.split('\n').slice(0, 3).join('\n'));
  assert.deepEqual(steps(series(run, 'loss')), [1, 25]);
  assert.deepEqual(steps(series(run, 'val_loss')), [50]);
  assert.deepEqual(values(series(run, 'lr')), [0.01985433, 0.01985433]);
  assert.deepEqual(values(series(run, 'epoch')), [1, 1, 1]);
});

test('Epoch [e/E] Step [i/N]: a step that restarts every epoch is a batch index', () => {
  const log = [
    'Epoch [1/2] Step [1/50] loss: 1.10 lr: 8.81e-03',
    'Epoch [1/2] Step [50/50] loss: 0.90 lr: 8.81e-03',
    'Epoch [1/2] finished: train_loss: 0.95 val_loss: 0.93 val_acc: 0.50',
    'Epoch [2/2] Step [1/50] loss: 0.80 lr: 7.93e-03',
    'Epoch [2/2] Step [50/50] loss: 0.70 lr: 7.93e-03',
    'Epoch [2/2] finished: train_loss: 0.75 val_loss: 0.74 val_acc: 0.60',
  ].join('\n');
  const run = read(log);
  assert.deepEqual(steps(series(run, 'loss')), [1, 50, 51, 100]);
  assert.deepEqual(steps(series(run, 'val_loss')), [50, 100]);
  assert.equal(run.meta.stepsPerEpoch, 50);
  assert.equal(run.meta.plannedSteps, undefined);
  assert.equal(run.meta.plannedEpochs, 2);
});

test('mmengine LogProcessor: Epoch(train) [e][i/N] and Epoch(val)', () => {
  // mmengine/runner/log_processor.py get_log_after_iter / get_log_after_epoch.
  const log = [
    '2023/03/01 12:00:00 - mmengine - INFO - Epoch(train)  [1][100/500]  base_lr: 1.0000e-03 lr: 1.0000e-03  eta: 0:12:00  time: 0.2100  data_time: 0.0100  memory: 3000  grad_norm: 3.1000  loss: 0.8123  loss_cls: 0.5000  loss_bbox: 0.3123',
    '2023/03/01 12:01:00 - mmengine - INFO - Epoch(train)  [1][500/500]  base_lr: 1.0000e-03 lr: 1.0000e-03  eta: 0:11:00  time: 0.2000  data_time: 0.0100  memory: 3000  grad_norm: 2.9000  loss: 0.7000  loss_cls: 0.4000  loss_bbox: 0.3000',
    '2023/03/01 12:01:30 - mmengine - INFO - Epoch(val)  [1][50/50]    accuracy/top1: 76.1200  accuracy/top5: 92.8600  data_time: 0.0100  time: 0.0500',
    '2023/03/01 12:02:00 - mmengine - INFO - Epoch(train)  [2][100/500]  base_lr: 1.0000e-03 lr: 9.0000e-04  eta: 0:10:00  time: 0.2000  data_time: 0.0100  memory: 3000  grad_norm: 2.5000  loss: 0.6000  loss_cls: 0.3500  loss_bbox: 0.2500',
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'mmengine');
  assert.deepEqual(steps(series(run, 'loss')), [100, 500, 600]);
  assert.deepEqual(values(series(run, 'lr')), [1e-3, 1e-3, 9e-4]);
  const top1 = series(run, 'val/accuracy/top1');
  assert.equal(top1.role, 'val_metric');
  assert.deepEqual(steps(top1), [500]);
  assert.equal(run.meta.stepsPerEpoch, 500);
});

test('mmcv 1.x TextLoggerHook and Iter(train) counters', () => {
  const log = [
    '2021-03-01 12:00:00,000 - mmdet - INFO - Epoch [1][50/200]\tlr: 1.000e-02, eta: 0:10:00, time: 0.210, data_time: 0.010, memory: 3000, loss_cls: 0.3000, loss: 0.8000',
    '2021-03-01 12:00:10,000 - mmdet - INFO - Epoch [2][50/200]\tlr: 1.000e-02, eta: 0:09:00, time: 0.200, data_time: 0.010, memory: 3000, loss_cls: 0.2500, loss: 0.7000',
    '2021-03-01 12:05:00,000 - mmdet - INFO - Epoch(val) [2][500]\tbbox_mAP: 0.3790, bbox_mAP_50: 0.5810',
  ].join('\n');
  const run = read(log);
  assert.deepEqual(steps(series(run, 'loss')), [50, 250]);
  assert.deepEqual(steps(series(run, 'val/bbox_mAP')), [400]);
  const iters = read('2023/03/01 12:00:00 - mmengine - INFO - Iter(train) [  100/10000]  lr: 1.0000e-02  eta: 1:00:00  time: 0.3000  data_time: 0.0100  memory: 2000  loss: 1.2000\n');
  assert.deepEqual(steps(series(iters, 'loss')), [100]);
  assert.equal(iters.meta.plannedSteps, 10000);
});

test('detectron2 CommonMetricPrinter: iter, losses, lr; eta and max_mem are not values', () => {
  // detectron2/utils/events.py CommonMetricPrinter.write
  const log = [
    '[01/20 17:35:21 d2.engine.train_loop]: Starting training from iteration 0',
    '[01/20 17:35:28 d2.utils.events]:  eta: 0:01:35  iter: 19  total_loss: 2.081  loss_cls: 0.7165  loss_box_reg: 0.6458  loss_mask: 0.6915  loss_rpn_cls: 0.03297  loss_rpn_loc: 0.006757    time: 0.3446  last_time: 0.3216  data_time: 0.0084  last_data_time: 0.0043   lr: 1.6068e-05  max_mem: 2683M',
    '[01/20 17:35:35 d2.utils.events]:  eta: 0:01:28  iter: 39  total_loss: 1.712  loss_cls: 0.5123  loss_box_reg: 0.6011  loss_mask: 0.5502  loss_rpn_cls: 0.02511  loss_rpn_loc: 0.005981    time: 0.3420  last_time: 0.3311  data_time: 0.0051  last_data_time: 0.0040   lr: 3.2052e-05  max_mem: 2683M',
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'detectron2');
  assert.deepEqual(steps(series(run, 'total_loss')), [19, 39]);
  assert.deepEqual(values(series(run, 'lr')), [1.6068e-5, 3.2052e-5]);
  assert.ok(!run.series.some((s) => s.tag === 'eta' || s.tag === 'max_mem'));
  assert.deepEqual(lines(series(run, 'total_loss')), [2, 3]);
});

test('fairseq: num_updates is the step; valid lines go under val/', () => {
  // fairseq/logging/progress_bar.py SimpleProgressBar.log / print
  const log = [
    '2020-10-13 10:00:00 | INFO | train_inner | epoch 001:    100 / 1563 loss=9.123, nll_loss=8.9, ppl=478.5, wps=12345.6, ups=3.2, wpb=3840, bsz=128, num_updates=100, lr=1.25e-05, gnorm=2.345, loss_scale=128, train_wall=31, gb_free=10.2, wall=35',
    '2020-10-13 10:04:00 | INFO | train_inner | epoch 001:    200 / 1563 loss=8.5, nll_loss=8.2, ppl=294.1, wps=12345.6, ups=3.2, wpb=3840, bsz=128, num_updates=200, lr=2.5e-05, gnorm=1.9, loss_scale=128, train_wall=31, gb_free=10.2, wall=66',
    "2020-10-13 10:05:00 | INFO | valid | epoch 001 | valid on 'valid' subset | loss 8.1 | nll_loss 7.9 | ppl 238.9 | wps 31000 | wpb 3500 | bsz 120 | num_updates 200",
    '| epoch 002 | loss 4.2 | nll_loss 2.5 | ppl 5.66 | wps 9870 | ups 3 | wpb 3456 | bsz 128 | num_updates 400 | lr 0.0005 | gnorm 0.5 | clip 0.000 | oom 0.000 | loss_scale 8.000 | wall 12345 | train_wall 1234',
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'fairseq');
  assert.deepEqual(steps(series(run, 'loss')), [100, 200, 400]);
  assert.deepEqual(steps(series(run, 'val/loss')), [200]);
  assert.equal(series(run, 'val/loss').role, 'val_loss');
  assert.equal(series(run, 'gnorm').role, 'grad_norm');
  assert.equal(series(run, 'loss_scale').role, 'loss_scale');
  assert.deepEqual(values(series(run, 'lr')), [1.25e-5, 2.5e-5, 0.0005]);
});

test('Megatron-LM training_log: multi-word keys, 1.5E-04 numbers, validation lines', () => {
  // megatron/training/training.py training_log / evaluate_and_print_results
  const log = [
    ' [2024-05-01 10:00:00] iteration      100/    1000 | consumed samples:        51200 | elapsed time per iteration (ms): 1234.5 | throughput per GPU (TFLOP/s/GPU): 123.4 | learning rate: 1.500000E-04 | global batch size:   512 | lm loss: 7.123456E+00 | loss scale: 65536.0 | grad norm: 2.345 | number of skipped iterations:   0 | number of nan iterations:   0 |',
    ' [2024-05-01 10:02:00] iteration      200/    1000 | consumed samples:       102400 | elapsed time per iteration (ms): 1200.1 | throughput per GPU (TFLOP/s/GPU): 125.0 | learning rate: 3.000000E-04 | global batch size:   512 | lm loss: 6.012345E+00 | loss scale: 65536.0 | grad norm: 1.900 | number of skipped iterations:   0 | number of nan iterations:   0 |',
    '----------------------------------------------------------------------------------------------',
    ' validation loss at iteration 200 on validation set | lm loss value: 5.123456E+00 | lm loss PPL: 1.678301E+02 | ',
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'megatron');
  const lm = series(run, 'lm loss');
  assert.equal(lm.role, 'train_loss');
  assert.deepEqual(steps(lm), [100, 200]);
  assert.deepEqual(values(lm), [7.123456, 6.012345]);
  assert.equal(series(run, 'learning rate').role, 'lr');
  assert.deepEqual(values(series(run, 'learning rate')), [1.5e-4, 3e-4]);
  assert.equal(series(run, 'grad norm').role, 'grad_norm');
  assert.equal(series(run, 'loss scale').role, 'loss_scale');
  const val = series(run, 'val/lm loss');
  assert.equal(val.role, 'val_loss');
  assert.deepEqual(steps(val), [200]);
  assert.deepEqual(values(val), [5.123456]);
  assert.equal(run.meta.plannedSteps, 1000);
  // `number of nan iterations: 0` is a count, never a NaN.
  for (const s of run.series) assert.ok(values(s).every(Number.isFinite), s.tag);
});

test('torchvision MetricLogger: Epoch: [e]  [i/N], (global avg) skipped, Test: lines', () => {
  // references/classification/utils.py MetricLogger.log_every, train.py evaluate
  const log = [
    'Epoch: [0]  [  0/782]  eta: 0:39:29  lr: 0.1  img/s: 45.2  loss: 6.9402 (6.9402)  acc1: 0.0000 (0.0000)  acc5: 0.7812 (0.7812)  time: 3.0305  data: 2.1234  max mem: 10234',
    'Epoch: [0]  [100/782]  eta: 0:05:10  lr: 0.1  img/s: 410.3  loss: 6.7101 (6.8122)  acc1: 0.7812 (0.3100)  acc5: 3.1250 (1.5500)  time: 0.4510  data: 0.0012  max mem: 10234',
    'Epoch: [0] Total time: 0:06:12',
    'Test:   [ 0/98]  eta: 0:01:00  loss: 6.5000 (6.5000)  acc1: 1.5625 (1.5625)  acc5: 6.2500 (6.2500)  time: 0.6100  data: 0.5000  max mem: 10234',
    'Test:  Total time: 0:00:20',
    'Test:  Acc@1 1.700 Acc@5 6.620',
    'Epoch: [1]  [  0/782]  eta: 0:30:00  lr: 0.1  img/s: 50.1  loss: 6.4000 (6.4000)  acc1: 2.3438 (2.3438)  acc5: 7.0312 (7.0312)  time: 2.3000  data: 1.9000  max mem: 10234',
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'torchvision');
  assert.deepEqual(steps(series(run, 'loss')), [0, 100, 782]);
  assert.deepEqual(values(series(run, 'loss')), [6.9402, 6.7101, 6.4]);
  // The evaluation after epoch 0 sits at the end of epoch 0 (782 batches).
  assert.deepEqual(steps(series(run, 'test/loss')), [782]);
  assert.deepEqual(values(series(run, 'test/Acc@1')), [1.7]);
  assert.equal(series(run, 'test/loss').role, 'val_loss');
  assert.equal(run.meta.stepsPerEpoch, 782);
});

test('tqdm bars: the final value per position; PyTorch Lightning epochs from 0, epoch metrics on change', () => {
  // tqdm's default bar_format with set_postfix; Lightning's TQDMProgressBar desc "Epoch N".
  const plain = '  0%|          | 0/100 [00:00<?, ?it/s]\r 10%|█         | 10/100 [00:01<00:09, 9.87it/s, loss=2.31]\r 10%|█         | 10/100 [00:01<00:09, 9.87it/s, loss=2.29]\r 20%|██        | 20/100 [00:02<00:08, 9.90it/s, loss=2.10]\n';
  const p = read(plain);
  assert.deepEqual(steps(series(p, 'loss')), [10, 20]);
  assert.deepEqual(values(series(p, 'loss')), [2.29, 2.1]);
  assert.equal(p.meta.plannedSteps, 100);

  const lightning =
    'Epoch 0:  50%|█████     | 5/10 [00:01<00:01,  4.20it/s, v_num=0, train_loss_step=0.900]\r' +
    'Epoch 0: 100%|██████████| 10/10 [00:02<00:00,  4.25it/s, v_num=0, train_loss_step=0.700]\r' +
    'Epoch 0: 100%|██████████| 10/10 [00:03<00:00,  3.10it/s, v_num=0, train_loss_step=0.700, val_loss=0.650, train_loss_epoch=0.800]\n' +
    'Epoch 1:  50%|█████     | 5/10 [00:01<00:01,  4.20it/s, v_num=0, train_loss_step=0.600, val_loss=0.650, train_loss_epoch=0.800]\r' +
    'Epoch 1: 100%|██████████| 10/10 [00:03<00:00,  3.10it/s, v_num=0, train_loss_step=0.500, val_loss=0.550, train_loss_epoch=0.580]\n';
  const l = read(lightning);
  assert.deepEqual(steps(series(l, 'train_loss_step')), [5, 10, 15, 20]);
  assert.deepEqual(steps(series(l, 'val_loss')), [10, 20]);
  assert.deepEqual(values(series(l, 'val_loss')), [0.65, 0.55]);
  assert.deepEqual(steps(series(l, 'train_loss_epoch')), [10, 20]);
  assert.ok(!l.series.some((s) => s.tag === 'v_num'));
});

test('Ultralytics tables: train rows per epoch (last redraw), the `all` validation row', () => {
  // ultralytics/engine/trainer.py progress_string / set_description; DetectionValidator.get_desc / print_results
  const log = [
    '      Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size',
    '      1/100      2.61G      1.300      2.500      1.200         45        640:  50%|█████     | 6/12 [00:02<00:02,  2.21it/s]\r      1/100      2.61G      1.234      2.345      1.123         40        640: 100%|██████████| 12/12 [00:05<00:00,  2.21it/s]',
    '                 Class     Images  Instances      Box(P          R      mAP50  mAP50-95): 100%|██████████| 2/2 [00:00<00:00,  4.50it/s]',
    '                   all        128        929      0.641      0.537       0.61      0.443',
    '',
    '      Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size',
    '      2/100      2.65G      1.111      2.001      1.050         38        640: 100%|██████████| 12/12 [00:05<00:00,  2.30it/s]',
    '                 Class     Images  Instances      Box(P          R      mAP50  mAP50-95): 100%|██████████| 2/2 [00:00<00:00,  4.70it/s]',
    '                   all        128        929      0.702      0.588      0.655      0.471',
  ].join('\n');
  const run = read(log);
  assert.equal(run.meta.family, 'ultralytics');
  assert.deepEqual(steps(series(run, 'train/box_loss')), [1, 2]);
  assert.deepEqual(values(series(run, 'train/box_loss')), [1.234, 1.111]);
  assert.deepEqual(lines(series(run, 'train/box_loss')), [3, 8]);
  assert.deepEqual(values(series(run, 'metrics/mAP50-95(B)')), [0.443, 0.471]);
  assert.deepEqual(values(series(run, 'metrics/precision(B)')), [0.641, 0.702]);
  assert.equal(run.meta.plannedEpochs, 100);
  // YOLOv5's older header names its losses box/obj/cls.
  const v5 = read('     Epoch   gpu_mem       box       obj       cls    labels  img_size\n      0/299     3.37G   0.04663   0.02813   0.03123        43       640: 100%|██████████| 8/8 [00:03<00:00,  2.4it/s]\n');
  assert.deepEqual(values(series(v5, 'train/obj_loss')), [0.02813]);
});

test('argparse Namespace dumps become hparams, not points', () => {
  const log = "Namespace(task='linreg', optimizer='RMSprop', lr=0.17432, momentum=0.0, scheduler={'name': 'StepLR', 'gamma': 0.1}, epochs=20, amp=False, grad_clip=None)\nstep 1 | loss 2.0\nstep 2 | loss 1.5\n";
  const run = read(log);
  assert.equal(run.hparams.lr, 0.17432);
  assert.equal(run.hparams.optimizer, 'RMSprop');
  assert.equal(run.hparams['scheduler.name'], 'StepLR');
  assert.equal(run.hparams['scheduler.gamma'], 0.1);
  assert.equal(run.hparams.amp, false);
  assert.ok(!('grad_clip' in run.hparams));
  assert.deepEqual(run.series.map((s) => s.tag), ['loss']);
});

test('PyTorch MNIST example: Train Epoch with samples, Test set summary', () => {
  // pytorch/examples mnist/main.py
  const log = [
    'Train Epoch: 1 [0/60000 (0%)]\tLoss: 2.305954',
    'Train Epoch: 1 [640/60000 (1%)]\tLoss: 1.359776',
    '',
    'Test set: Average loss: 0.1018, Accuracy: 9679/10000 (97%)',
    '',
    'Train Epoch: 2 [0/60000 (0%)]\tLoss: 0.210000',
  ].join('\n');
  const run = read(log);
  assert.deepEqual(steps(series(run, 'Loss')), [0, 640, 60000]);
  assert.deepEqual(values(series(run, 'test/Average loss')), [0.1018]);
  assert.equal(series(run, 'test/Average loss').role, 'val_loss');
  assert.deepEqual(values(series(run, 'test/Accuracy')), [0.9679]);
});
