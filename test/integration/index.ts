// The integration suite's entry, loaded by VS Code's extension host (`extensionTestsPath`):
// code-server's workbench in the project's harness, or @vscode/test-electron on a desktop.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  // The untrusted-workspace suite runs in its own pass (a restricted-mode window); the
  // main pass runs everything else.
  if (process.env.LRLENS_TRUST === 'untrusted') mocha.grep('untrusted workspace');
  else mocha.grep('untrusted workspace').invert();
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  console.log('integration: start');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const line = `integration: ${runner.stats?.passes ?? 0} passed, ${failures} failed`;
      console.log(line);
      const results = process.env.LRLENS_RESULTS_FILE;
      if (results) fs.writeFileSync(results, JSON.stringify({ passes: runner.stats?.passes ?? 0, failures }));
      if (failures > 0) reject(new Error(line));
      else resolve();
    });
  });
}
