import { describe, expect, it } from '@jest/globals';
import { DenialReason } from '@tollgate/errors';
import { checkGroupMultiplierInput, checkPriceInput } from './price-input.js';

describe(checkPriceInput.name, () => {
  const sut = checkPriceInput;

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
      },
    });
  });

  it.each([
    [{ model: 'm', inputPerMillionMicros: '1', colour: 'red' }, 'colour'],
    [{ model: 'm', inputPerMillionMicros: '-1' }, 'inputPerMillionMicros'],
    [{ model: 'm', outputPerMillionMicros: '2.5' }, 'outputPerMillionMicros'],
    [{ model: 'm', charactersPerMillionMicros: 15 }, 'charactersPerMillionMicros'],
    [{ model: 'm', inputPerMillionMicros: '1e6' }, 'inputPerMillionMicros'],
    [{ model: 'm', imagePriceMicros: { 'big one': '1' } }, 'imagePriceMicros'],
    [{ model: 'm', imagePriceMicros: { '1024x1024': '-1' } }, 'imagePriceMicros'],
    [{ model: '', inputPerMillionMicros: '1' }, 'model'],
    [{ model: 'm' }, 'model'],
  ])('refuses %p, naming %p', (input, param) => {
    expect(sut(input)).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: { param, detail: expect.any(String) } },
    });
  });
});

describe(checkGroupMultiplierInput.name, () => {
  const sut = checkGroupMultiplierInput;

  it('takes basis points', () => {
    expect(sut({ group: 'vip', multiplierBasisPoints: 8000 })).toEqual({
      ok: true,
      value: { group: 'vip', multiplierBasisPoints: 8000 },
    });
  });

  it.each([
    [{ group: 'vip', multiplierBasisPoints: 0.8 }, 'multiplierBasisPoints'],
    [{ group: 'vip', multiplierBasisPoints: -1 }, 'multiplierBasisPoints'],
    [{ group: 'vip', multiplierBasisPoints: '8000' }, 'multiplierBasisPoints'],
    [{ group: 'v i p', multiplierBasisPoints: 8000 }, 'group'],
    [{ group: 'vip', multiplierBasisPoints: 8000, multiplier: '0.8' }, 'multiplier'],
  ])('refuses %p', (input, param) => {
    expect(
      sut(input).ok ? null : (sut(input) as { denial: { params?: { param?: string } } }).denial.params?.param,
    ).toBe(param);
  });
});
