export * from './route.js';
export * from './admin.routes.js';
export * from './openapi-document.js';
export * from './v1.api.js';
export * from './v1.routes.js';
