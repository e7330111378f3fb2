export { messagesDialect } from './messages.dialect.js';
export { anthropicErrorType } from './messages-errors.js';
