import { describe, expect, it } from "vitest";
import { CsvFileError, CsvReader, csvField } from "../../src/store/imports-csv.js";

// Real: the reader on byte chunks. Faked: nothing.
function readAll(input: Buffer | string, chunkSize = 7) {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  const reader = new CsvReader();
  const out = [];
  for (let at = 0; at < bytes.length; at += chunkSize) out.push(...reader.push(bytes.subarray(at, at + chunkSize)));
  out.push(...reader.end());
  return out;
}

describe("CsvReader", () => {
  it("reads quoted fields, escaped quotes, CRLF and multi-line fields with physical line numbers", () => {
    const records = readAll(
      'phone,name\r\n+821012345678,"Kim, Minji"\r\n+821012345679,"say ""hi""\nsecond line"\n+821012345670,Lee\n',
    );
    expect(records).toEqual([
      { line: 1, fields: ["phone", "name"] },
      { line: 2, fields: ["+821012345678", "Kim, Minji"] },
      { line: 3, fields: ["+821012345679", 'say "hi"\nsecond line'] },
      { line: 5, fields: ["+821012345670", "Lee"] },
    ]);
  });

  it("strips a UTF-8 byte order mark, skips blank lines, reads a last line without newline", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a,b\n\n1,2")]);
    expect(readAll(bytes)).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 3, fields: ["1", "2"] },
    ]);
  });

  it("reports bad quoting on its line and carries on", () => {
    const records = readAll('a,b\n1,x"y\n2,"z"w\n3,ok\n');
    expect(records[1]).toMatchObject({ line: 2, error: expect.stringContaining("quote inside unquoted column 2") });
    expect(records[2]).toMatchObject({ line: 3, error: expect.stringContaining("text after a closing quote") });
    expect(records[3]).toEqual({ line: 4, fields: ["3", "ok"] });
  });

  it("reports an unterminated quote at the end of the file", () => {
    const records = readAll('a,b\n1,"never closed\n2,3\n');
    expect(records[1]).toMatchObject({ line: 2, error: expect.stringContaining("never closed") });
  });

  it("names lines that are not UTF-8 (an EUC-KR row) and keeps reading the others", () => {
    const eucKr = Buffer.from([0xb1, 0xe8, 0xb9, 0xce, 0xc1, 0xf6]); // 김민지 in EUC-KR
    const bytes = Buffer.concat([
      Buffer.from("phone,name\n+821012345678,"),
      eucKr,
      Buffer.from("\n+821012345679,Lee\n"),
    ]);
    const records = readAll(bytes, 5);
    expect(records[1]).toMatchObject({ line: 2, error: expect.stringContaining("line 2 is not valid UTF-8") });
    expect(records[2]).toEqual({ line: 3, fields: ["+821012345679", "Lee"] });
  });

  it("refuses a UTF-16 file as a whole", () => {
    expect(() => readAll(Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]))).toThrow(CsvFileError);
  });

  it("uses tabs or semicolons when the header has no comma", () => {
    expect(readAll("a;b\n1;2\n")[1]).toEqual({ line: 2, fields: ["1", "2"] });
    expect(readAll("a\tb\n1\t2\n")[1]).toEqual({ line: 2, fields: ["1", "2"] });
  });

  it("writes fields safely: quotes when needed, defuses spreadsheet formulas", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("+821012345678", true)).toBe("+821012345678");
  });
});
