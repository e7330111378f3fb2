import { describe, expect, it } from '@jest/globals';
import { requestLogCsv } from './request-log-csv.js';
import type { RequestLogPartReader } from './request-log-parts.js';
import { fakeNames } from '../testing/fake-names.js';
import { fakeRequestLog, requestLogEntry } from '../testing/fake-request-log.js';

const { userId: USER, keyId: KEY } = requestLogEntry(1);
/** Auth knows the log's user but not its key (deleted, or never auth's). */
const names = () => fakeNames({ [USER]: 'Acme, "Ltd"' }, {});

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe(requestLogCsv.name, () => {
  it('writes the header and every part, following the cursor, 200 rows a part', async () => {
    const log = fakeRequestLog(1_200);

    const auth = names();

    const lines = (
      await text(await requestLogCsv(log.read, { cursor: null, maxRows: 100_000, askNames: auth.ask }))
    ).split('\r\n');

    expect(lines[0]).toBe(
      'created_at,tid,user_id,user_name,key_id,key_name,model,channel_id,status,succeeded,stream,latency_ms,input_tokens,output_tokens,' +
        'cached_input_tokens,cache_write_tokens,reasoning_tokens,images,characters,audio_seconds,cost,hold_id,id',
    );
    expect(lines).toHaveLength(1 + 1_200 + 1);
    expect(lines[lines.length - 1]).toBe('');
    expect(log.asked.map((ask) => ask.limit)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(log.asked.map((ask) => ask.cursor)).toEqual([null, '1001', '801', '601', '401', '201']);
    expect(lines[1]).toBe(
      '2026-12-02T16:06:52.123Z,4bf92f3577b34da6a3ce929d0e0e4736,3f2c1a9e-5b7d-4e21-9c8a-1d2e3f4a5b6c,"Acme, ""Ltd""",' +
        "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d,,'=cmd|calc,3,200,true,false,12,10,2,0,0,0,0,0,0,1.500000," +
        '0b7f5c0e-8f4a-4d0e-9a53-2f1f5b0d6c11,1200',
    );
    expect(lines[2]).toContain(',,200,');
    // Names are asked once a part, each id once, never once a row.
    expect(auth.asked).toEqual(Array.from({ length: 6 }, () => ({ userIds: [USER], keyIds: [KEY] })));
  });

  it('stops at the most rows, asking no more than it writes', async () => {
    const log = fakeRequestLog(1_200);

    const lines = (await text(await requestLogCsv(log.read, { cursor: '1001', maxRows: 550, askNames: names().ask })))
      .trimEnd()
      .split('\r\n');

    expect(lines).toHaveLength(1 + 550);
    expect(log.asked).toEqual([
      { cursor: '1001', limit: 200 },
      { cursor: '801', limit: 200 },
      { cursor: '601', limit: 150 },
    ]);
    expect(lines[1]?.endsWith(',1000')).toBe(true);
  });

  it('writes only the header when nothing matches', async () => {
    const csv = await text(
      await requestLogCsv(fakeRequestLog(0).read, { cursor: null, maxRows: 10, askNames: names().ask }),
    );

    expect(csv.split('\r\n')).toHaveLength(2);
  });

  it('ends with the error of a page that failed, after the pages before it', async () => {
    let pages = 0;
    const failing: RequestLogPartReader = (cursor, limit) =>
      ++pages === 2 ? Promise.reject(new Error('billing did not answer')) : fakeRequestLog(1_000).read(cursor, limit);
    const written: string[] = [];

    const csv = await requestLogCsv(failing, { cursor: null, maxRows: 100_000, askNames: names().ask });
    const reading = (async () => {
      for await (const chunk of csv) written.push(chunk);
    })();

    await expect(reading).rejects.toThrow('billing did not answer');
    expect(written).toHaveLength(2); // the header and the first part
  });

  it('refuses before writing anything when the first page fails', async () => {
    const refusing: RequestLogPartReader = () => Promise.reject(new Error('cursor refused'));

    await expect(requestLogCsv(refusing, { cursor: 'x', maxRows: 10, askNames: names().ask })).rejects.toThrow(
      'cursor refused',
    );
  });
});
