import { describe, expect, it } from '@jest/globals';
import { cellText, clip, listText, renderRecord, renderTable, timeCell, type Column } from './table.js';

interface Row {
  id: number;
  name: string | null;
  amount: string;
}

const COLUMNS: Array<Column<Row>> = [
  { header: 'id', value: (r) => r.id, align: 'right' },
  { header: 'name', value: (r) => r.name },
  { header: 'amount', value: (r) => r.amount, align: 'right' },
];

describe(renderTable.name, () => {
  it('aligns columns under upper-case headers, right-aligning numbers (and their headers) so decimal points line up', () => {
    const sut = renderTable(COLUMNS, [
      { id: 1, name: 'alice', amount: '12.500000' },
      { id: 123, name: 'bob', amount: '-0.250000' },
    ]);
    expect(sut).toBe([' ID  NAME      AMOUNT', '  1  alice  12.500000', '123  bob    -0.250000', ''].join('\n'));
  });

  it('shows a dash for empty values and trims trailing spaces', () => {
    const sut = renderTable(
      [
        { header: 'a', value: (r: Row) => r.name },
        { header: 'b', value: () => null },
      ],
      [{ id: 1, name: 'x', amount: '1' }],
    );
    expect(sut).toBe('A  B\nx  -\n');
  });

  it('prints the empty text instead of a header when there are no rows', () => {
    expect(renderTable(COLUMNS, [], '(no users)')).toBe('(no users)\n');
  });

  it('keeps a multi-line or escape-laden value from breaking the layout or the terminal', () => {
    const sut = renderTable(COLUMNS, [{ id: 1, name: 'evil\n\u001b[2Jname', amount: '1.000000' }]);
    expect(sut).not.toContain('\u001b');
    expect(sut.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe(renderRecord.name, () => {
  it('aligns values after the labels', () => {
    expect(
      renderRecord([
        ['id', 'u1'],
        ['balance', '3.000000'],
        ['held', null],
      ]),
    ).toBe('id:      u1\nbalance: 3.000000\nheld:    -\n');
  });
});

describe(cellText.name, () => {
  it('writes booleans as yes/no and null as a dash', () => {
    expect([cellText(true), cellText(false), cellText(null), cellText(undefined), cellText(0)]).toEqual([
      'yes',
      'no',
      '-',
      '-',
      '0',
    ]);
  });
});

describe(listText.name, () => {
  it('joins a list and names an empty one', () => {
    expect(listText(['a', 'b'])).toBe('a, b');
    expect(listText(null, 'all')).toBe('all');
    expect(listText([], 'any')).toBe('any');
  });
});

describe(timeCell.name, () => {
  it('shows an instant the API sends in UTC to the second, and leaves anything else as it is', () => {
    expect(timeCell('2026-12-02T16:40:35.123Z')).toBe('2026-12-02 16:40:35');
    expect(timeCell('2026-12-02T16:40:35Z')).toBe('2026-12-02 16:40:35');
    expect(timeCell('2026-12-02T16:40:35+01:00')).toBe('2026-12-02T16:40:35+01:00');
    expect(timeCell(null)).toBeNull();
    expect(timeCell('never')).toBe('never');
  });
});

describe(clip.name, () => {
  it('keeps a text that fits and cuts a longer one to the width, marking the cut', () => {
    expect(clip('gpt-4o', 6)).toBe('gpt-4o');
    expect(clip('gpt-4o-mini', 6)).toBe('gpt-4…');
    expect([...clip('模型名称很长很长', 4)]).toHaveLength(4);
  });
});
