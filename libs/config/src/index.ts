export * from './load-config.js';
export * from './common-settings.js';
export * from './integer-settings.js';
export * from './setting-rules.js';
export * from './secret-files.js';
export * from './url-settings.js';
