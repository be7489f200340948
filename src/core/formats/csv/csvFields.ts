// CSV records: RFC 4180 quoting over the text line splitter's lines.
//
// Fields are separated by the delimiter (`,`, tab or `;`, chosen from the header);
// a field may be quoted with `"`, with `""` for a quote inside, and a quoted field may
// span lines (the record then keeps the line it started on). Unquoted fields keep
// their spaces; callers trim them (YOLO pads every cell).

/** Splits one record into `out` (reused); returns false when a quote is still open at the end. */
export function splitRecord(line: string, delim: number, out: string[]): boolean {
  out.length = 0;
  const n = line.length;
  let i = 0;
  for (;;) {
    if (i < n && line.charCodeAt(i) === 34) {
      // Quoted field.
      let s = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return false;
        s += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          s += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Anything between the closing quote and the delimiter is kept (lenient).
      const d = indexOfCode(line, delim, j);
      if (d < 0) {
        out.push(s + line.slice(j));
        return true;
      }
      out.push(s + line.slice(j, d));
      i = d + 1;
      continue;
    }
    const d = indexOfCode(line, delim, i);
    if (d < 0) {
      out.push(line.slice(i));
      return true;
    }
    out.push(line.slice(i, d));
    i = d + 1;
  }
}

function indexOfCode(s: string, code: number, from: number): number {
  for (let i = from; i < s.length; i++) if (s.charCodeAt(i) === code) return i;
  return -1;
}

/** True when a quote opened in `line` is not closed (the record continues on the next line). */
export function hasOpenQuote(line: string): boolean {
  let open = false;
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 34) open = !open;
  return open;
}

/** The delimiter of a header line: the most frequent of `,`, tab, `;` outside quotes (comma on ties). */
export function detectDelimiter(header: string): number {
  let comma = 0;
  let tab = 0;
  let semi = 0;
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (!quoted) {
      if (c === 44) comma++;
      else if (c === 9) tab++;
      else if (c === 59) semi++;
    }
  }
  if (tab > comma && tab >= semi) return 9;
  if (semi > comma && semi > tab) return 59;
  return 44;
}
