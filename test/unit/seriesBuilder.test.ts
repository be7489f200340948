import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeriesBuilder } from '../../src/core/model/series';
import { seeded } from '../support/random';

test('pushMany appends exactly what as many push calls would, restarts included', () => {
  const rand = seeded(42);
  for (let trial = 0; trial < 300; trial++) {
    const one = new SeriesBuilder('loss', 'train_loss');
    const many = new SeriesBuilder('loss', 'train_loss');
    let step = 0;
    for (let batch = 0; batch < 6; batch++) {
      const n = Math.floor(rand() * 200);
      const steps = new Float64Array(n + 3);
      const values = new Float64Array(n + 3);
      const walls = new Float64Array(n + 3);
      for (let i = 0; i < n + 3; i++) {
        step += rand() < 0.03 ? -Math.floor(rand() * 50) : Math.floor(rand() * 3);
        steps[i] = step;
        values[i] = rand();
        walls[i] = 1.7e9 + i;
      }
      const withWall = rand() < 0.7;
      // Points [1, n + 1) of the arrays, to exercise `from`.
      for (let i = 1; i < n + 1; i++) one.push(steps[i]!, values[i]!, withWall ? { wallTime: walls[i]! } : undefined);
      many.pushMany(steps, values, withWall ? walls : undefined, 1, n + 1);
    }
    assert.deepEqual(many.build(), one.build(), `trial ${trial}`);
    assert.deepEqual(many.restarts, one.restarts);
  }
});
