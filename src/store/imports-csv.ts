/**
 * A streaming RFC 4180 CSV reader for imports, fed with byte chunks, returning records with their physical line
 * numbers (the header is line 1; a quoted field spanning lines counts its lines) and a reason when a record is
 * malformed: bad quoting, a line that is not UTF-8, a runaway quote. Memory holds one chunk plus the current
 * record. Also `csvField` for writing CSV (exports).
 *
 * Encoding: chunks are cut at the last newline byte (0x0A never occurs inside a UTF-8 sequence) and decoded with
 * a fatal decoder; only when that fails is the chunk decoded line by line to name the bad lines. A UTF-16 byte
 * order mark (Excel's "Unicode text") is a file-level error.
 */

export interface CsvRecord {
  /** Physical line where the record starts. */
  line: number;
  fields: string[];
  /** Why the record is malformed (its fields are then incomplete). */
  error?: string;
}

/** A quoted field longer than this is taken for an unterminated quote, and the reader resynchronises. */
const MAX_RECORD_CHARS = 64 * 1024;
const NOT_UTF8 = 'is not valid UTF-8 (the file may be saved as EUC-KR/CP949: save it as "CSV UTF-8" and import again)';

export class CsvReader {
  private text = "";
  private pos = 0;
  /** Physical line of `text[pos]`. */
  private line = 1;
  private pendingBytes: Buffer = Buffer.alloc(0);
  private readonly badLines = new Set<number>();
  /** Line number of the first line in the next decoded chunk. */
  private nextChunkLine = 1;
  private first = true;
  private delimiter = 44; // ","
  private delimiterChosen = false;
  bytesRead = 0;

  /** Feeds bytes; returns the records completed by them. */
  push(chunk: Buffer): CsvRecord[] {
    this.bytesRead += chunk.length;
    const bytes = this.pendingBytes.length > 0 ? Buffer.concat([this.pendingBytes, chunk]) : chunk;
    const cut = bytes.lastIndexOf(10);
    if (cut < 0) {
      this.pendingBytes = bytes;
      return [];
    }
    this.pendingBytes = bytes.subarray(cut + 1);
    this.append(bytes.subarray(0, cut + 1));
    return this.records(false);
  }

  /** Ends the input; returns the remaining records (an open quote at the end is reported). */
  end(): CsvRecord[] {
    if (this.pendingBytes.length > 0) this.append(this.pendingBytes);
    this.pendingBytes = Buffer.alloc(0);
    return this.records(true);
  }

  private append(bytes: Buffer): void {
    if (this.first) {
      this.first = false;
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
        throw new CsvFileError('the file is UTF-16 (Excel "Unicode text"); save it as "CSV UTF-8" and import again');
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    let decoded: string;
    try {
      decoded = FATAL.decode(bytes);
    } catch {
      decoded = this.decodeByLine(bytes);
    }
    this.nextChunkLine += countNewlines(bytes);
    this.text = this.pos > 0 ? this.text.slice(this.pos) + decoded : this.text + decoded;
    this.pos = 0;
  }

  private decodeByLine(bytes: Buffer): string {
    const parts: string[] = [];
    let start = 0;
    let line = this.nextChunkLine;
    while (start < bytes.length) {
      let end = bytes.indexOf(10, start);
      end = end < 0 ? bytes.length : end + 1;
      const piece = bytes.subarray(start, end);
      try {
        parts.push(FATAL.decode(piece));
      } catch {
        this.badLines.add(line);
        parts.push(LENIENT.decode(piece));
      }
      start = end;
      line++;
    }
    return parts.join("");
  }

  private records(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (;;) {
      const record = this.parseOne(final);
      if (record === null) break;
      if (record.fields.length === 1 && record.fields[0] === "" && record.error === undefined) continue; // blank line
      out.push(record);
    }
    return out;
  }

  /** Parses one record at `pos`, or returns null when the text ends before the record does (and not final). */
  private parseOne(final: boolean): CsvRecord | null {
    const text = this.text;
    if (this.pos >= text.length) return null;
    if (!this.delimiterChosen) this.chooseDelimiter();
    const startLine = this.line;
    const startPos = this.pos;
    const fields: string[] = [];
    let i = this.pos;
    let line = this.line;
    let error: string | undefined;
    for (;;) {
      // One field.
      if (text.charCodeAt(i) === 34) {
        let value = "";
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0 || quote - startPos > MAX_RECORD_CHARS) {
            if (!final && quote < 0 && text.length - startPos <= MAX_RECORD_CHARS) return null;
            return this.resync(
              startLine,
              startPos,
              `bad quoting: the quoted field opened on line ${startLine} is never closed`,
            );
          }
          line += countChar(text, from, quote, 10);
          if (text.charCodeAt(quote + 1) === 34) {
            value += text.slice(from, quote + 1);
            from = quote + 2;
            continue;
          }
          value += text.slice(from, quote);
          i = quote + 1;
          break;
        }
        fields.push(value);
        const next = text.charCodeAt(i);
        if (i < text.length && next !== this.delimiter && next !== 10 && next !== 13) {
          error = `bad quoting: text after a closing quote in column ${fields.length}`;
          const end = text.indexOf("\n", i);
          if (end < 0 && !final) return null;
          i = end < 0 ? text.length : end;
        }
      } else {
        let j = i;
        while (j < text.length) {
          const c = text.charCodeAt(j);
          if (c === this.delimiter || c === 10 || c === 13) break;
          if (c === 34 && error === undefined)
            error = `bad quoting: a quote inside unquoted column ${fields.length + 1} (quote the whole field)`;
          j++;
        }
        if (j >= text.length && !final) return null;
        fields.push(text.slice(i, j));
        i = j;
      }
      // After a field: delimiter, end of line, or end of text.
      if (i >= text.length) {
        if (!final) return null;
        break;
      }
      const c = text.charCodeAt(i);
      if (c === this.delimiter) {
        i++;
        continue;
      }
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      else if (c === 13 && i + 1 >= text.length && !final) return null;
      i++;
      line++;
      break;
    }
    this.pos = i;
    this.line = line;
    for (let l = startLine; l < Math.max(line, startLine + 1); l++) {
      if (this.badLines.has(l)) {
        error = `line ${l} ${NOT_UTF8}`;
        this.badLines.delete(l);
        break;
      }
    }
    return error === undefined ? { line: startLine, fields } : { line: startLine, fields, error };
  }

  /** Reports a runaway quote and restarts on the line after the record's first line. */
  private resync(startLine: number, startPos: number, error: string): CsvRecord {
    const end = this.text.indexOf("\n", startPos);
    this.pos = end < 0 ? this.text.length : end + 1;
    this.line = startLine + 1;
    return { line: startLine, fields: [], error };
  }

  /** Header lines with no comma but a tab or semicolon use that delimiter (spreadsheet exports vary). */
  private chooseDelimiter(): void {
    this.delimiterChosen = true;
    const end = this.text.indexOf("\n", this.pos);
    const header = this.text.slice(this.pos, end < 0 ? undefined : end);
    if (header.includes(",")) return;
    if (header.includes("\t")) this.delimiter = 9;
    else if (header.includes(";")) this.delimiter = 59;
  }
}

/** A problem with the whole file (encoding), as opposed to one record. */
export class CsvFileError extends Error {}

const FATAL = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const LENIENT = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

function countChar(text: string, from: number, to: number, code: number): number {
  let count = 0;
  for (let at = from; at < to; at++) if (text.charCodeAt(at) === code) count++;
  return count;
}

/**
 * One CSV field for writing: quoted when it holds a delimiter, quote or newline; a leading = + - @ (formula
 * injection when the file is opened in a spreadsheet, OWASP "CSV injection") gets a ' prefix unless `raw`.
 */
export function csvField(value: string | number | boolean | null | undefined, raw = false): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (!raw && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
