import { LIMITS } from '@tollgate/contracts';

export interface BatchPart<T> {
  /** The index of the part's first row in the batch. */
  offset: number;
  rows: T[];
}

/**
 * A batch's rows in consecutive parts of at most `maxBytes` of JSON each,
 * as they are staged with billing: a batch of the largest allowed size with
 * the longest allowed text is several times NATS's message limit, a part
 * never is. Most batches are one part.
 */
export function batchParts<T>(rows: readonly T[], maxBytes: number = LIMITS.batchPartBytes): Array<BatchPart<T>> {
  const parts: Array<BatchPart<T>> = [];
  let current: BatchPart<T> = { offset: 0, rows: [] };
  // The brackets of the array; each row adds its bytes and a comma.
  let bytes = 2;
  rows.forEach((row, index) => {
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (size + 2 > maxBytes) throw new Error(`batch row ${index} is ${size} bytes of JSON, more than a part holds`);
    if (bytes + size > maxBytes && current.rows.length > 0) {
      parts.push(current);
      current = { offset: index, rows: [] };
      bytes = 2;
    }
    current.rows.push(row);
    bytes += size;
  });
  if (current.rows.length > 0) parts.push(current);
  return parts;
}
