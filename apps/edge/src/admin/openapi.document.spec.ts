import { describe, expect, it } from '@jest/globals';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { BillingController } from './billing.controller.js';
import { BillingStaffController } from './billing-staff.controller.js';
import { ChannelsController } from './channels.controller.js';
import { UsersController } from './users.controller.js';
import { ADMIN_OPENAPI } from './openapi.document.js';

/** Documented admin controllers: add a new one here and to the document. */
const CONTROLLERS = [UsersController, ChannelsController, BillingController, BillingStaffController];

function routesOf(controller: new (...args: never[]) => unknown): string[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor' && typeof prototype[name] === 'function')
    .filter((name) => Reflect.getMetadata(PATH_METADATA, prototype[name] as object) !== undefined)
    .map((name) => {
      const handler = prototype[name] as object;
      const path = String(Reflect.getMetadata(PATH_METADATA, handler));
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number].toLowerCase();
      const full = `/${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/:(\w+)/g, '{$1}');
      return `${method} ${full}`;
    });
}

describe('ADMIN_OPENAPI', () => {
  it('documents exactly the admin routes the controllers serve', () => {
    const served = CONTROLLERS.flatMap(routesOf).sort();
    const documented = Object.entries(ADMIN_OPENAPI.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });
});
