// Preloaded into the unit tests (`node --test --require`): fast-check runs from a fixed
// seed so a CI run is reproducible. LRLENS_FC_SEED=<n> picks another seed, `random` a fresh
// one each run; `npm run fuzz` is where random exploration at scale happens.
import fc from 'fast-check';

const env = process.env.LRLENS_FC_SEED;
if (env !== 'random') fc.configureGlobal({ seed: env ? Number(env) : 20261123 });
