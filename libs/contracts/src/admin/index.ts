export * from './common.api.js';
export * from './users.api.js';
export * from './channels.api.js';
export * from './billing.api.js';
export * from './session.api.js';
