// Property tests (fast-check) for the text log, CSV, JSON Lines and trainer_state
// readers: tens of thousands of cases in a few seconds. `npm run fuzz` runs the same
// properties by the million.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readBytes } from '../../src/core/formats/registry';
import { TextLogReader } from '../../src/core/formats/text/textReader';
import { checkHalfWritten, lineCount, pushChunks, readAll, runInvariants, runsDiffer, TEXT_FORMATS, type TextFormat } from '../support/readerChecks';
import { logText, realFiles, sampleText } from '../support/readerSamples';
import { seeded } from '../support/random';
import { enc } from '../support/readers';
import { NO_CORPUS } from '../support/shared';

const SEED = 20251123;
const chunks = fc.array(fc.integer({ min: 0, max: 97 }), { minLength: 1, maxLength: 6 });
const format = fc.constantFrom<TextFormat>(...TEXT_FORMATS);

test('random bytes, any reader, any chunks: never throws, invariants hold (10,000 cases)', () => {
  fc.assert(
    fc.property(format, fc.uint8Array({ maxLength: 300 }), chunks, (f, bytes, sizes) => {
      const { runs, reader } = readAll(f, bytes, sizes);
      for (const run of runs) assert.deepEqual(runInvariants(run, lineCount(bytes)), []);
      assert.ok(reader.consumed <= bytes.length);
    }),
    { numRuns: 10_000, seed: SEED },
  );
});

test('random bytes and text through sniffing (readBytes): never throws (3,000 cases)', () => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 400 }).map(enc)), (bytes) => {
      const r = readBytes('mem/file', bytes);
      assert.ok(r.failure !== undefined || r.runs.length > 0);
      for (const run of r.runs) assert.deepEqual(runInvariants(run, lineCount(bytes)), []);
    }),
    { numRuns: 3_000, seed: SEED },
  );
});

test('plausible logs, tables, JSON Lines and trainer states: chunk cuts change nothing (8,000 cases)', () => {
  fc.assert(
    fc.property(format, fc.integer(), chunks, (f, seed, sizes) => {
      const bytes = enc(sampleText(f, seeded(seed)));
      const whole = readAll(f, bytes).runs;
      for (const run of whole) assert.deepEqual(runInvariants(run, lineCount(bytes)), []);
      assert.equal(runsDiffer(readAll(f, bytes, sizes).runs, whole), undefined);
    }),
    { numRuns: 8_000, seed: SEED },
  );
});

test('a half-written last line never becomes a point (5,000 cases)', () => {
  fc.assert(
    fc.property(format, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), chunks, (f, seed, at, sizes) => {
      const bytes = enc(sampleText(f, seeded(seed)));
      const cut = Math.floor(at * bytes.length);
      assert.equal(checkHalfWritten(f, bytes, cut, sizes), undefined);
    }),
    { numRuns: 5_000, seed: SEED },
  );
});

test('real corpus files with random edits: never throws, invariants hold, chunk cuts change nothing (800 cases)', { skip: NO_CORPUS }, () => {
  const files = realFiles().filter((f) => f.bytes.length <= 16_000);
  assert.ok(files.length > 10);
  fc.assert(
    fc.property(fc.nat(files.length - 1), fc.integer(), chunks, (i, seed, sizes) => {
      const file = files[i]!;
      const r = seeded(seed);
      const bytes = file.bytes.slice();
      for (let e = 1 + Math.floor(r() * 6); e > 0; e--) {
        const at = Math.floor(r() * bytes.length);
        bytes[at] = r() < 0.5 ? Math.floor(r() * 256) : [10, 13, 0, 34, 44, 123, 125, 58][Math.floor(r() * 8)]!;
      }
      const cut = r() < 0.3 ? bytes.subarray(0, Math.floor(r() * bytes.length)) : bytes;
      const whole = readAll(file.format, cut).runs;
      for (const run of whole) assert.deepEqual(runInvariants(run, lineCount(cut)), [], file.name);
      assert.equal(runsDiffer(readAll(file.format, cut, sizes.map((s) => s * 97)).runs, whole), undefined, file.name);
    }),
    { numRuns: 800, seed: SEED },
  );
});

test('re-reading lines by their shape gives exactly what the full scanner gives (6,000 cases)', () => {
  const read = (bytes: Uint8Array, reuseShapes: boolean, sizes: number[]) => {
    const r = new TextLogReader('mem/train.log', 'train.log', undefined, { reuseShapes });
    pushChunks(r, bytes, sizes);
    r.end();
    return r.runs();
  };
  fc.assert(
    fc.property(fc.integer(), chunks, (seed, sizes) => {
      // Runs of similar lines (a shape repeating with new numbers), as real logs are.
      const rand = seeded(seed);
      let text = '';
      for (let block = 0; block < 4; block++) {
        const lines = logText(rand, 3).split(/\r\n|\r|\n/).filter((l) => l.trim());
        for (let rep = 0; rep < 6; rep++) for (const l of lines) text += l.replace(/\d/g, (d) => (rand() < 0.3 ? String(Math.floor(rand() * 10)) : d)) + '\n';
      }
      const bytes = enc(text);
      assert.equal(runsDiffer(read(bytes, true, sizes), read(bytes, false, [])), undefined);
    }),
    { numRuns: 6_000, seed: SEED },
  );
});
