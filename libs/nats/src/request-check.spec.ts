import { describe, expect, it, jest } from '@jest/globals';
import { Type } from '@tollgate/typebox';
import { eventSubject, Name, ok, Reply, subject } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkedHandler, checkEvent, checkRequest, InvalidMessageError } from './request-check.js';

const Greeting = Type.Object(
  { name: Name(), times: Type.Optional(Type.Integer({ minimum: 1, clientName: 'repeat_count' })) },
  { additionalProperties: false },
);
const greet = subject('spec.greet', Greeting, Reply(Type.String()));
const count = subject('spec.count', Greeting, Type.Integer());
const greeted = eventSubject('spec.greeted', Greeting);

describe(checkRequest.name, () => {
  it('passes a request its schema accepts, as it came', () => {
    const request = { name: 'ann', times: 2 };
    const checked = checkRequest(greet, request);
    expect(checked).toEqual({ ok: true, request });
    expect(checked.ok && checked.request).toBe(request);
  });

  it.each([
    [{}, 'name', expect.stringMatching(/^name /)],
    [{ name: '  ' }, 'name', expect.stringMatching(/^name must be 1 to 200 characters, not only spaces/)],
    [{ name: 'ann', times: 0 }, 'repeat_count', 'repeat_count must be at least 1'],
    [{ name: 'ann', tims: 2 }, 'tims', 'unknown field tims'],
    ['ann', 'body', 'body must be an object'],
  ])('answers %j with InvalidRequest naming %s, as data', (request, param, detail) => {
    expect(checkRequest(greet, request)).toEqual({
      ok: false,
      answer: { ok: false, denial: { reason: DenialReason.InvalidRequest, params: { param, detail } } },
    });
  });

  it('fails a request to a subject that cannot answer with a denial, naming the field', () => {
    expect(checkRequest(count, { name: 'ann' })).toEqual({ ok: true, request: { name: 'ann' } });
    const failure = (() => {
      try {
        checkRequest(count, { name: 'ann', extra: true });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(failure).toBeInstanceOf(InvalidMessageError);
    expect(failure).toMatchObject({
      subject: 'spec.count',
      problem: { param: 'extra', detail: 'unknown field extra' },
      message: 'spec.count: unknown field extra',
    });
  });
});

describe(checkEvent.name, () => {
  it('passes an event its schema accepts and fails one it does not', () => {
    expect(checkEvent(greeted, { name: 'ann' })).toEqual({ name: 'ann' });
    expect(() => checkEvent(greeted, { name: 7 })).toThrow(InvalidMessageError);
    expect(() => checkEvent(greeted, { name: 7 })).toThrow('spec.greeted: name must be 1 to 200 characters');
  });
});

describe(checkedHandler.name, () => {
  it('runs the handler for a request its schema accepts, and only then', async () => {
    const handler = jest.fn((request: { name: string }) => ok(`hello ${request.name}`));
    const sut = checkedHandler(greet, handler);

    expect(await sut({ name: 'ann' })).toEqual({ ok: true, value: 'hello ann' });
    expect(await sut({ name: 'ann', colour: 'red' })).toMatchObject({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: { param: 'colour' } },
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
