import * as fs from 'node:fs';
import { analyzeScript } from './src/core/python/scriptModel';
import { scriptReport } from './src/core/python/report';
const m = analyzeScript(fs.readFileSync(process.argv[2]!, 'utf8'));
console.log(JSON.stringify(scriptReport(m, []), null, 1));
console.log(m.loops.loops.map((l) => `${l.line} ${l.kind} ${l.header} — ${l.reason}`).join('\n'));
