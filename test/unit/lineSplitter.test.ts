// The line splitter and scanner under odd input: encodings, line ends, chunk cuts,
// half-written and over-long lines, numbers as printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, LONG_LINE_HEAD, MAX_LINE_CHARS } from '../../src/core/formats/text/lineSplitter';
import { parseNumber, parseNumberIn } from '../../src/core/formats/text/numbers';
import { Tok, Tokens } from '../../src/core/formats/text/tokens';
import { enc } from '../support/readers';

function split(chunks: Uint8Array[], end = true): [number, string, boolean][] {
  const out: [number, string, boolean][] = [];
  const sink = (text: string, s: number, e: number, no: number, cut: boolean): void => void out.push([no, text.slice(s, e), cut]);
  const sp = new LineSplitter();
  for (const c of chunks) sp.push(c, sink);
  if (end) sp.end(sink);
  return out;
}

const cutEvery = (bytes: Uint8Array, n: number): Uint8Array[] => {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += n) out.push(bytes.subarray(i, i + n));
  return out;
};

test('LF, CRLF, lone CR and CR CR LF end lines as the editor counts them', () => {
  const text = 'a\nb\r\nc\rd\r\r\ne';
  const expected = [
    [1, 'a', false],
    [2, 'b', false],
    [3, 'c', false],
    [4, 'd', false],
    [5, '', false],
    [6, 'e', false],
  ];
  assert.deepEqual(split([enc(text)]), expected);
  // The same for every cut of the bytes, including between `\r` and `\n`.
  for (let n = 1; n <= 4; n++) assert.deepEqual(split(cutEvery(enc(text), n)), expected, `chunks of ${n}`);
});

test('a half-written last line is held back until its line end or end()', () => {
  assert.deepEqual(split([enc('step 1 loss 2\nstep 2 lo')], false), [[1, 'step 1 loss 2', false]]);
  const sp = new LineSplitter();
  const got: string[] = [];
  const sink = (t: string, s: number, e: number): void => void got.push(t.slice(s, e));
  sp.push(enc('x 1\ny 2'), sink);
  assert.equal(sp.hasPartial, true);
  assert.equal(sp.consumed, 4);
  sp.push(enc('2\r'), sink);
  sp.push(enc('\nz'), sink);
  assert.deepEqual(got, ['x 1', 'y 22']);
  sp.end(sink);
  assert.deepEqual(got, ['x 1', 'y 22', 'z']);
});

test('UTF-8 with BOM, UTF-16 LE/BE with BOM and without, and characters cut between chunks', () => {
  const body = 'step 1 | loss 2.0 | 損失\nstep 2 | loss 1.5\n';
  const utf16 = (le: boolean, bom: boolean): Uint8Array => {
    const out = new Uint8Array((bom ? 2 : 0) + body.length * 2);
    let o = 0;
    if (bom) {
      out[o++] = le ? 0xff : 0xfe;
      out[o++] = le ? 0xfe : 0xff;
    }
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      out[o++] = le ? c & 0xff : c >> 8;
      out[o++] = le ? c >> 8 : c & 0xff;
    }
    return out;
  };
  const want = [
    [1, 'step 1 | loss 2.0 | 損失', false],
    [2, 'step 2 | loss 1.5', false],
  ];
  for (const bytes of [enc(body), enc('\ufeff' + body), utf16(true, true), utf16(false, true), utf16(true, false), utf16(false, false)])
    for (const n of [1, 3, 7, 1 << 20]) assert.deepEqual(split(cutEvery(bytes, n)), want, `chunks of ${n}`);
});

test('consumed is the byte offset after the last complete line, multi-byte characters included', () => {
  const sp = new LineSplitter();
  const sink = (): void => undefined;
  const bytes = enc('é 1\nü 2');
  sp.push(bytes.subarray(0, 6), sink);
  assert.equal(sp.consumed, 5);
  sp.push(bytes.subarray(6), sink);
  assert.equal(sp.consumed, 5);
});

test('a line longer than 1 MB is cut to its head, flagged, and the next lines are read', () => {
  const long = 'x'.repeat(MAX_LINE_CHARS + 10);
  const lines = split(cutEvery(enc(`a 1\n${long}\nb 2\n`), 300_000));
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0], [1, 'a 1', false]);
  assert.equal(lines[1]![1].length, LONG_LINE_HEAD);
  assert.equal(lines[1]![2], true);
  assert.deepEqual(lines[2], [3, 'b 2', false]);
});

test('numbers as printed', () => {
  assert.ok(Number.isNaN(parseNumber('nan')!));
  assert.ok(Number.isNaN(parseNumber('NaN')!));
  assert.ok(Number.isNaN(parseNumber('-nan')!));
  assert.equal(parseNumber('inf'), Infinity);
  assert.equal(parseNumber('-inf'), -Infinity);
  assert.equal(parseNumber('Infinity'), Infinity);
  assert.equal(parseNumber('1.5E-04'), 1.5e-4);
  assert.equal(parseNumber('0.000000'), 0);
  assert.equal(parseNumber(' 0.30014869570732117 '), 0.30014869570732117);
  assert.equal(parseNumber('4.9883902905678084e-05'), 4.9883902905678084e-5);
  assert.equal(parseNumber('1e400'), Infinity);
  assert.equal(parseNumber('abc'), undefined);
  assert.equal(parseNumber('nanms'), undefined);
  assert.equal(parseNumber(''), undefined);
});

test('the scanner: values, units, clocks, dates, fractions, non-finite words', () => {
  const t = new Tokens();
  const scan = (s: string): [string, string, number?][] => {
    t.scan(s, 0, s.length);
    const names = ['', 'WORD', 'STRING', 'NUM', 'PCT', 'UNIT', 'FRAC', 'CLOCK', 'SEP', 'COLON', 'EQ', 'LBRACK', 'RBRACK', 'LPAREN', 'RPAREN', 'LBRACE', 'RBRACE', 'OTHER'];
    return Array.from({ length: t.n }, (_, i) => {
      const k = t.kind[i]! as Tok;
      return k === Tok.NUM || k === Tok.PCT ? [names[k]!, t.str(i), t.num[i]!] : [names[k]!, t.str(i)];
    });
  };
  assert.deepEqual(scan('step_avg:nanms'), [['WORD', 'step_avg'], ['COLON', ':'], ['WORD', 'nanms']]);
  assert.deepEqual(scan('loss: -inf lr=1.5E-04'), [['WORD', 'loss'], ['COLON', ':'], ['NUM', '-inf', -Infinity], ['WORD', 'lr'], ['EQ', '='], ['NUM', '1.5E-04', 1.5e-4]]);
  assert.deepEqual(scan('211.3ms 2.61G 14.8it/s 1.2.3'), [['UNIT', '211.3ms'], ['UNIT', '2.61G'], ['UNIT', '14.8it/s'], ['UNIT', '1.2.3']]);
  assert.deepEqual(scan('eta: 0:01:35 [01/20 17:35:21 d2]'), [['WORD', 'eta'], ['COLON', ':'], ['CLOCK', '0:01:35'], ['LBRACK', '['], ['CLOCK', '01/20 17:35:21'], ['WORD', 'd2'], ['RBRACK', ']']]);
  assert.deepEqual(scan('2026-11-23 14:54:19,086 INFO'), [['CLOCK', '2026-11-23'], ['CLOCK', '14:54:19,086'], ['WORD', 'INFO']]);
  assert.deepEqual(scan('iteration      100/  500000 |').map((x) => x[0]), ['WORD', 'FRAC', 'SEP']);
  assert.deepEqual(scan('Acc 9.32%'), [['WORD', 'Acc'], ['PCT', '9.32%', 9.32]]);
  assert.deepEqual(scan("{'loss': nan}"), [['LBRACE', '{'], ['STRING', 'loss'], ['COLON', ':'], ['NUM', 'nan', NaN], ['RBRACE', '}']]);
  assert.deepEqual(scan('\u001b[32mloss\u001b[0m 1.0').map((x) => x[1]), ['loss', '1.0']);
  t.scan('a\u0000\u0001b', 0, 4);
  assert.ok(t.control > 0);
});

test('numbers inside a larger string, as CSV cells are read', () => {
  const cells = ['  0.066099', '1.5E-04 ', '-inf', 'nan', '', '   ', '12', '1e', '1.2.3', '0.30014869570732117', '-0.0', '+7', 'abc', '4e400', '.5', '5.'];
  for (const c of cells) {
    const s = `x,${c},y`;
    const got = parseNumberIn(s, 2, 2 + c.length);
    const want = parseNumber(c);
    assert.ok(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)), `${JSON.stringify(c)}: ${got} vs ${want}`);
  }
});
