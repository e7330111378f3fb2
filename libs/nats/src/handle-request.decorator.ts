import 'reflect-metadata';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { EventSubject, Subject } from '@tollgate/contracts';
import { checkEvent, checkRequest } from './request-check.js';

type Handler = (this: unknown, payload: unknown, ...rest: unknown[]) => unknown;

/**
 * Puts `checked` in the place of the method, keeping what other decorators
 * recorded on it (filters, interceptors). A wrapper rather than a Nest
 * interceptor: these handlers are on every client request's path, and the
 * check costs a function call where an interceptor costs an Observable chain.
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
 * as its first parameter (`@Payload()`) and answers its reply.
 */
export function HandleRequest<Request, Response>(target: Subject<Request, Response>) {
  return (
    prototype: object,
    method: string | symbol,
    descriptor: { value?: (request: Request) => Response | Promise<Response> },
  ): void => {
    replaceMethod(
      descriptor,
      (handler) =>
        function (this: unknown, payload: unknown, ...rest: unknown[]) {
          const checked = checkRequest(target, payload);
          return checked.ok ? handler.call(this, checked.request, ...rest) : checked.answer;
        },
    );
    MessagePattern(target.name)(prototype, method, descriptor as PropertyDescriptor);
  };
}

/**
 * The handler of an event in the service's queue group (one replica handles
 * each), checked like a request: one that fails is logged by RpcFailureFilter
 * and not handled, since nobody waits for an answer.
 */
export function HandleEvent<Payload>(target: EventSubject<Payload>) {
  return (prototype: object, method: string | symbol, descriptor: { value?: (payload: Payload) => unknown }): void => {
    replaceMethod(
      descriptor,
      (handler) =>
        function (this: unknown, payload: unknown, ...rest: unknown[]) {
          return handler.call(this, checkEvent(target, payload), ...rest);
        },
    );
    EventPattern<string>(target.name)(prototype, method, descriptor as PropertyDescriptor);
  };
}
