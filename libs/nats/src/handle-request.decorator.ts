import 'reflect-metadata';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { EventSubject, Subject } from '@tollgate/contracts';
import { runLogged, type HandledMessageLevel } from './handled-message-log.js';
import { checkEvent, checkRequest } from './request-check.js';

type Handler = (this: unknown, payload: unknown, ...rest: unknown[]) => unknown;

/**
 * Puts `checked` in the place of the method, keeping what other decorators
 * recorded on it (filters, interceptors). A wrapper rather than a Nest
 * interceptor: these handlers are on every client request's path, and the
 * check and the message's log line (runLogged) cost a function call where
 * an interceptor costs an Observable chain.
 */
function replaceMethod(descriptor: { value?: unknown }, wrap: (handler: Handler) => Handler): void {
  const handler = descriptor.value as Handler | undefined;
  if (typeof handler !== 'function') throw new Error('@HandleRequest and @HandleEvent decorate methods');
  const checked = wrap(handler);
  for (const key of Reflect.getOwnMetadataKeys(handler)) {
    Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, handler), checked);
  }
  descriptor.value = checked;
}

/**
 * The handler of a subject's requests: `@MessagePattern(target.name)`, with
 * the request checked against the subject's schema first, so the handler
 * only ever sees what the contract declares (see checkRequest for what a
 * request that is not gets instead). The method takes the subject's request
 * as its first parameter (`@Payload()`) and answers its reply. Every message
 * gets one line in the service's log, with its tid (runLogged), at `info` —
 * `logLevel: 'debug'` for a periodic one no request or person asked for (the
 * edges' pings and table refreshes); the handler may name the decision its
 * answer carries (noteDecision).
 */
export function HandleRequest<Request, Response>(
  target: Subject<Request, Response>,
  options: { logLevel?: HandledMessageLevel } = {},
) {
  const message = { subject: target.name, refuses: target.refuses, level: options.logLevel ?? 'info' };
  return (
    prototype: object,
    method: string | symbol,
    descriptor: { value?: (request: Request) => Response | Promise<Response> },
  ): void => {
    replaceMethod(
      descriptor,
      (handler) =>
        function (this: unknown, payload: unknown, ...rest: unknown[]) {
          return runLogged(message, () => {
            const checked = checkRequest(target, payload);
            return checked.ok ? handler.call(this, checked.request, ...rest) : checked.answer;
          });
        },
    );
    MessagePattern(target.name)(prototype, method, descriptor as PropertyDescriptor);
  };
}

/**
 * The handler of an event in the service's queue group (one replica handles
 * each), checked like a request: one that fails is logged and not handled,
 * since nobody waits for an answer. Each event gets one line, as a request
 * does, at `logLevel` (`info` unless the subject is a high-rate batch whose
 * items the handler logs on their own).
 */
export function HandleEvent<Payload>(target: EventSubject<Payload>, options: { logLevel?: HandledMessageLevel } = {}) {
  const message = { subject: target.name, refuses: false, level: options.logLevel ?? 'info' };
  return (prototype: object, method: string | symbol, descriptor: { value?: (payload: Payload) => unknown }): void => {
    replaceMethod(
      descriptor,
      (handler) =>
        function (this: unknown, payload: unknown, ...rest: unknown[]) {
          return runLogged(message, () => handler.call(this, checkEvent(target, payload), ...rest));
        },
    );
    EventPattern<string>(target.name)(prototype, method, descriptor as PropertyDescriptor);
  };
}
