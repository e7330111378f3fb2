import { describe, expect, it } from '@jest/globals';
import { UsageError } from './cli-errors.js';
import {
  channelId,
  clearable,
  commaList,
  idempotencyKey,
  integer,
  isoDate,
  keyValue,
  ledgerTypes,
  money,
  multiplier,
  reason,
  uuid,
} from './cli-input.js';

const USER = '0b5f2a52-4a8e-4b8f-9c57-2f2d5a3c1e7d';

describe('cli input checks', () => {
  describe(money.name, () => {
    it.each(['12', '12.5', '12.500000', '0.000001', '-3.25', ' 7.1 '])('takes %p', (text) => {
      expect(money(text, 'amount', 'non-zero')).toBe(text.trim());
    });

    it.each(['12.5000001', '1e3', '12,50', '$5', 'abc', '', '1.', '.5', '0x10', '12345678901234'])(
      'refuses %p before anything is sent',
      (text) => {
        expect(() => money(text, 'amount', 'non-zero')).toThrow(UsageError);
      },
    );

    it('says what is wrong with the amount', () => {
      expect(() => money('12.1234567', 'amount', 'positive')).toThrow(
        'amount "12.1234567" is not a decimal amount with at most 6 decimals (e.g. 12.50)',
      );
    });

    it('applies the sign rule of the command', () => {
      expect(() => money('-1', 'amount', 'positive')).toThrow('greater than zero');
      expect(() => money('0', 'amount', 'positive')).toThrow('greater than zero');
      expect(() => money('0.000', 'amount', 'non-zero')).toThrow('must not be zero');
      expect(() => money('-0.01', '--budget', 'non-negative')).toThrow('must not be negative');
      expect(money('0', '--input', 'non-negative')).toBe('0');
    });

    it('requires an amount', () => {
      expect(() => money(undefined, 'amount', 'positive')).toThrow('amount is required');
    });
  });

  describe(idempotencyKey.name, () => {
    it('is required, and says why', () => {
      expect(() => idempotencyKey(undefined)).toThrow(
        /--idempotency-key is required: money commands must be safe to re-run/,
      );
      expect(() => idempotencyKey('  ')).toThrow(UsageError);
    });

    it("refuses billing's own key prefixes and over-long keys", () => {
      expect(() => idempotencyKey('hold:123')).toThrow('may not start with hold:');
      expect(() => idempotencyKey('x'.repeat(201))).toThrow('at most 200');
      expect(idempotencyKey('invoice-42')).toBe('invoice-42');
    });

    it('sends a key in Unicode NFC, the form billing compares keys in', () => {
      expect(idempotencyKey('cafe\u0301')).toBe('caf\u00e9');
      expect(idempotencyKey('caf\u00e9')).toBe('caf\u00e9');
      // 200 characters as typed, 400 in NFC: U+0958 becomes two.
      expect(() => idempotencyKey('\u0958'.repeat(200))).toThrow('at most 200');
    });

    it.each([
      ['a control character', 'invoice\t42'],
      ['white space at the start', ' invoice-42'],
      ['white space at the end', 'invoice-42 '],
      ['an unpaired surrogate', 'lone-\ud800'],
    ])('refuses a key with %s, as the API would', (_what, key) => {
      expect(() => idempotencyKey(key)).toThrow(
        '--idempotency-key may not hold control characters or unpaired surrogates, nor start or end with white space',
      );
    });
  });

  describe(reason.name, () => {
    it('is required and at most 500 characters', () => {
      expect(() => reason(undefined)).toThrow(/--reason .* is required/);
      expect(() => reason('x'.repeat(501))).toThrow('at most 500');
      expect(reason('  refund  ')).toBe('refund');
    });
  });

  describe(uuid.name, () => {
    it('takes a UUID and refuses anything else', () => {
      expect(uuid(USER, 'userId')).toBe(USER);
      expect(() => uuid('42', 'userId')).toThrow('userId must be a UUID');
      expect(() => uuid('../keys', 'userId')).toThrow(UsageError);
    });
  });

  describe(integer.name, () => {
    it('takes whole numbers in range', () => {
      expect(integer('50', '--limit', { min: 1, max: 500 })).toBe(50);
      expect(() => integer('0', '--limit', { min: 1, max: 500 })).toThrow('from 1 to 500');
      expect(() => integer('501', '--limit', { min: 1, max: 500 })).toThrow(UsageError);
      expect(() => integer('2.5', '--limit')).toThrow(UsageError);
      expect(() => integer('ten', '--limit')).toThrow(UsageError);
      expect(channelId('7')).toBe(7);
      expect(() => channelId('-1')).toThrow('channel id');
    });
  });

  describe(isoDate.name, () => {
    it('takes ISO dates and date-times', () => {
      expect(isoDate('2024-05-01', '--from')).toBe('2024-05-01');
      expect(isoDate('2024-05-01T12:00:00Z', '--from')).toBe('2024-05-01T12:00:00Z');
      expect(isoDate(undefined, '--from')).toBeUndefined();
      expect(() => isoDate('yesterday', '--from')).toThrow('--from must be an ISO 8601 date');
      expect(() => isoDate('2024-13-45', '--from')).toThrow(UsageError);
    });
  });

  describe(ledgerTypes.name, () => {
    it('takes known entry types only', () => {
      expect(ledgerTypes('topup, adjustment')).toEqual(['topup', 'adjustment']);
      expect(() => ledgerTypes('topup,refund')).toThrow('--type must be a comma-separated list of');
    });
  });

  describe(multiplier.name, () => {
    it('takes non-negative decimals with at most 4 decimals', () => {
      expect(multiplier('0.8')).toBe('0.8');
      expect(multiplier('1.2345')).toBe('1.2345');
      expect(() => multiplier('0.12345')).toThrow('at most 4 decimals');
      expect(() => multiplier('-1')).toThrow(UsageError);
    });
  });

  it('splits lists and name=value pairs', () => {
    expect(commaList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(keyValue('1024x1024=0.04', '--image')).toEqual(['1024x1024', '0.04']);
    expect(() => keyValue('1024x1024', '--image')).toThrow('--image must look like name=value');
    expect(() => keyValue('=1', '--image')).toThrow(UsageError);
  });

  it('reads the clearing word as null', () => {
    expect(clearable('none', 'none', Number)).toBeNull();
    expect(clearable('NONE', 'none', Number)).toBeNull();
    expect(clearable('5', 'none', Number)).toBe(5);
    expect(clearable(undefined, 'none', Number)).toBeUndefined();
  });
});
