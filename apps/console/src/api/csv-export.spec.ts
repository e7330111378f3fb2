import { describe, expect, it } from '@jest/globals';
import { countRows } from './csv-export';

describe(countRows.name, () => {
  it.each([
    ['', 0],
    ['a,b\r\n', 1],
    ['a,b\r\nc,d\r\n', 2],
    // A reason with a line break and a doubled quote is still one record.
    ['1,"two\r\nlines ""quoted""",x\r\n2,plain,y\r\n', 2],
  ])('counts the records of %j as %d', (body, rows) => {
    expect(countRows(body)).toBe(rows);
  });
});
