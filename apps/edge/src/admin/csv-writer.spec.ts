import { describe, expect, it } from '@jest/globals';
import { csvCell, csvDocument } from './csv-writer.js';

describe(csvCell.name, () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nbreak', '"line\nbreak"'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555 0100 call', "'+1 555 0100 call"],
    ['-cmd', "'-cmd"],
    ['@import', "'@import"],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['-1.500000', '-1.500000'],
    ['', ''],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes numbers and booleans as text, null as an empty cell', () => {
    expect([csvCell(502), csvCell(-3), csvCell(true), csvCell(null)]).toEqual(['502', '-3', 'true', '']);
  });
});

describe(csvDocument.name, () => {
  it('writes a header and a CRLF-ended line per row', () => {
    const columns = [
      { header: 'name', value: (row: { name: string; n: number }) => row.name },
      { header: 'n', value: (row: { name: string; n: number }) => row.n },
    ];

    expect(csvDocument(columns, [{ name: 'a,b', n: 1 }])).toBe('name,n\r\n"a,b",1\r\n');
    expect(csvDocument(columns, [])).toBe('name,n\r\n');
  });
});
