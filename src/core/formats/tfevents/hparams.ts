// The hparams plugin's data: hyperparameter values from a session-start summary.
//
// tensorboard/plugins/hparams/plugin_data.proto: a summary value whose metadata names
// the plugin "hparams" carries, as `plugin_data.content`, a serialized
//
//   HParamsPluginData { int32 version = 1;
//                       oneof data { Experiment experiment = 2;
//                                    SessionStartInfo session_start_info = 3;
//                                    SessionEndInfo session_end_info = 4; } }
//   SessionStartInfo  { map<string, google.protobuf.Value> hparams = 1; ... }
//
// A map field is a repeated entry message { key = 1; value = 2; }. google.protobuf.Value
// (struct.proto) is a oneof: null_value = 1, number_value = 2 (double),
// string_value = 3, bool_value = 4, struct_value = 5, list_value = 6. Only the session
// start info holds values (the experiment lists names and domains); nested structs and
// lists are not hyperparameters anyone sweeps and are skipped. PyTorch's `add_hparams`,
// Lightning's `log_hyperparams` and TF2's `hp.hparams` all write this message.
import type { HParamValue } from '../../model/run';
import type { ProtoReader } from './protobuf';

const K_SESSION_START_INFO = (3 << 3) | 2;
const K_SSI_HPARAMS = (1 << 3) | 2;
const K_ENTRY_KEY = (1 << 3) | 2;
const K_ENTRY_VALUE = (2 << 3) | 2;
const K_VALUE_NUMBER = (2 << 3) | 1;
const K_VALUE_STRING = (3 << 3) | 2;
const K_VALUE_BOOL = (4 << 3) | 0;

const utf8 = new TextDecoder('utf-8');

/**
 * Appends the hyperparameters of the HParamsPluginData in `r.buf[start, end)` to `out`
 * (nothing for experiment and session-end data). Leaves `r` failed when malformed.
 */
export function readHparams(r: ProtoReader, start: number, end: number, out: [string, HParamValue][]): void {
  const outer = r.end;
  r.pos = start;
  r.end = end;
  while (r.more()) {
    const k = r.key();
    if (k !== K_SESSION_START_INFO) {
      r.skip(k & 7);
      continue;
    }
    const ssiEnd = r.lenEnd();
    if (ssiEnd < 0) break;
    const o = r.end;
    r.end = ssiEnd;
    while (r.more()) {
      const sk = r.key();
      if (sk === K_SSI_HPARAMS) {
        const e = r.lenEnd();
        if (e >= 0) readEntry(r, e, out);
      } else r.skip(sk & 7);
    }
    r.end = o;
  }
  r.end = outer;
}

function readEntry(r: ProtoReader, end: number, out: [string, HParamValue][]): void {
  const outer = r.end;
  r.end = end;
  let name = '';
  let value: HParamValue | undefined;
  while (r.more()) {
    const k = r.key();
    if (k === K_ENTRY_KEY) {
      const e = r.lenEnd();
      if (e < 0) break;
      name = utf8.decode(r.buf.subarray(r.pos, e));
      r.pos = e;
    } else if (k === K_ENTRY_VALUE) {
      const e = r.lenEnd();
      if (e < 0) break;
      value = readValue(r, e);
    } else r.skip(k & 7);
  }
  r.end = outer;
  if (r.ok && value !== undefined && name !== '') out.push([name, value]);
}

function readValue(r: ProtoReader, end: number): HParamValue | undefined {
  const outer = r.end;
  r.end = end;
  let value: HParamValue | undefined;
  while (r.more()) {
    const k = r.key();
    if (k === K_VALUE_NUMBER) value = r.float64();
    else if (k === K_VALUE_BOOL) value = r.varint32() !== 0;
    else if (k === K_VALUE_STRING) {
      const e = r.lenEnd();
      if (e < 0) break;
      value = utf8.decode(r.buf.subarray(r.pos, e));
      r.pos = e;
    } else {
      // null, struct or list: not a scalar hyperparameter (a later kind may still win).
      r.skip(k & 7);
      value = undefined;
    }
  }
  r.end = outer;
  return value;
}
