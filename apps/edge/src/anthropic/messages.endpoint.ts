import { compile, MessagesRequest } from '@tollgate/contracts';
import { messagesDialect } from '@tollgate/providers';
import { chatCompletionsEndpoint } from '../openai/chat/chat-completions.endpoint.js';
import { checkBody } from '../openai/body-check.js';
import type { EndpointSpec } from '../openai/endpoint.js';

const contract = compile(MessagesRequest);

/**
 * Anthropic's Messages API: checked in its own form, then held, routed and
 * billed as the chat completion it translates to (`messagesDialect`); an
 * `anthropic` channel gets the client's own bytes.
 */
export const messagesEndpoint: EndpointSpec = {
  ...chatCompletionsEndpoint,
  dialect: messagesDialect,
  validate(body): void {
    checkBody(contract, body);
  },
};
