import { describe, expect, it } from '@jest/globals';
import { BillingSubjects } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkRequest } from '@tollgate/nats/server';
import { toPricePatch } from './price-patch.js';

/** A price change as setPrice gets it: checked against the subject's schema, then made a patch. */
function sut(input: unknown) {
  const checked = checkRequest(BillingSubjects.setPrice, input);
  return checked.ok ? toPricePatch(checked.request) : checked.answer;
}

describe(toPricePatch.name, () => {
  it('reads micro-unit strings exactly and normalises image sizes', () => {
    expect(
      sut({
        model: 'gpt-image-1',
        inputPerMillionMicros: '5000000',
        imagePriceMicros: { '1024X1024': '40000', '*': '60000' },
      }),
    ).toEqual({
      ok: true,
      value: {
        model: 'gpt-image-1',
        inputPerMillionMicros: 5_000_000n,
        outputPerMillionMicros: null,
        imagePriceMicros: { '1024x1024': '40000', '*': '60000' },
        charactersPerMillionMicros: null,
        cachedInputPerMillionMicros: { keep: true },
        cacheWritePerMillionMicros: { keep: true },
        reasoningPerMillionMicros: { keep: true },
        audioPerMinuteMicros: { keep: true },
      },
    });
  });

  it('tells a part price that is absent (kept) from one that is null (at its whole) or given', () => {
    expect(sut({ model: 'o3', cachedInputPerMillionMicros: '500000', cacheWritePerMillionMicros: null })).toMatchObject(
      {
        ok: true,
        value: {
          inputPerMillionMicros: null,
          cachedInputPerMillionMicros: { keep: false, to: 500_000n },
          cacheWritePerMillionMicros: { keep: false, to: null },
          reasoningPerMillionMicros: { keep: true },
        },
      },
    );
  });

  it.each([
    [{ model: 'm', inputPerMillionMicros: '1', colour: 'red' }, 'colour'],
    [{ model: 'm', inputPerMillionMicros: '-1' }, 'inputPerMillionMicros'],
    [{ model: 'm', outputPerMillionMicros: '2.5' }, 'outputPerMillionMicros'],
    [{ model: 'm', charactersPerMillionMicros: 15 }, 'charactersPerMillionMicros'],
    [{ model: 'm', cachedInputPerMillionMicros: '1.25' }, 'cachedInputPerMillionMicros'],
    [{ model: 'm', reasoningPerMillionMicros: -1 }, 'reasoningPerMillionMicros'],
    [{ model: 'm', inputPerMillionMicros: '1e6' }, 'inputPerMillionMicros'],
    // The image table's problems name the admin API's field, which the edge shows as it is.
    [{ model: 'm', imagePriceMicros: { 'big one': '1' } }, 'image_prices'],
    [{ model: 'm', imagePriceMicros: { '1024x1024': '-1' } }, 'image_prices.1024x1024'],
    [{ model: '', inputPerMillionMicros: '1' }, 'model'],
    [{ model: 'm' }, 'model'],
  ])('refuses %p, naming %p', (input, param) => {
    expect(sut(input)).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: { param, detail: expect.any(String) } },
    });
  });
});
