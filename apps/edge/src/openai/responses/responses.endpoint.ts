import { compile, ResponsesRequest } from '@tollgate/contracts';
import { responsesDialect } from '@tollgate/providers';
import { checkBody } from '../body-check.js';
import { chatCompletionsEndpoint } from '../chat/chat-completions.endpoint.js';
import type { EndpointSpec } from '../endpoint.js';
import { invalid } from '../body-fields.js';

const contract = compile(ResponsesRequest);

/**
 * OpenAI's Responses API: checked in its own form, then held, routed and
 * billed as the chat completion it translates to (`responsesDialect`); an
 * `openai` or `azure` channel gets the client's own bytes.
 */
export const responsesEndpoint: EndpointSpec = {
  ...chatCompletionsEndpoint,
  dialect: responsesDialect,
  validate(body): void {
    checkBody(contract, body);
    // A conversation lives in an upstream account's Conversations API, which the gateway does not relay:
    // no channel could be known to hold it. A follow-up names previous_response_id instead.
    if (body.conversation !== undefined && body.conversation !== null) {
      throw invalid(
        'conversation',
        'conversation is not supported by this gateway (it does not relay the Conversations API); continue a conversation with previous_response_id',
      );
    }
  },
};
