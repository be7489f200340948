// `node out/test/support/writeSamples.js <dir>`: writes the sample runs into a workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allSamples } from './sampleRuns';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: writeSamples <dir>\n');
  process.exit(2);
}
for (const s of allSamples()) {
  const file = path.join(dir, s.path);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, s.content);
}
process.stdout.write(`wrote ${allSamples().length} sample runs to ${dir}\n`);
