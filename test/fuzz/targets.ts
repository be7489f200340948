// Every fuzz target and sweep `npm run fuzz` runs. Adding a reader's targets is one line.
import type { FuzzSweep, FuzzTarget } from './fuzzing';
import { readersSweeps, readersTargets } from './readersTargets';
import { tfeventsSweeps, tfeventsTargets } from './tfeventsTargets';

export const targets: FuzzTarget[] = [...tfeventsTargets, ...readersTargets];

export const sweeps: FuzzSweep[] = [...tfeventsSweeps, ...readersSweeps];
