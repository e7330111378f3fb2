import { describe, expect, it } from '@jest/globals';
import { isTid, TraceContext, tidFromTraceparent } from './trace-context.js';

describe(tidFromTraceparent.name, () => {
  it('takes the trace-id of a well-formed traceparent', () => {
    expect(tidFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it.each([undefined, '', 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf9-00f0-01'])(
    'makes a new 32-hex id for %p',
    (header) => {
      const tid = tidFromTraceparent(header);
      expect(isTid(tid)).toBe(true);
      expect(tid).not.toBe('00000000000000000000000000000000');
    },
  );

  it('makes a different id each time', () => {
    expect(tidFromTraceparent(undefined)).not.toBe(tidFromTraceparent(undefined));
  });
});

describe('TraceContext', () => {
  it('carries the tid across awaits', async () => {
    const seen = await TraceContext.run('a'.repeat(32), async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return TraceContext.tid();
    });
    expect(seen).toBe('a'.repeat(32));
    expect(TraceContext.tid()).toBeUndefined();
  });
});
