/**
 * Azure OpenAI's own error envelope, `{"error":{"code":"…","message":"…"}}`, which its gateway layer uses
 * (keys, api-version, deployments, rate limits). Errors from the model behind it (a bad parameter, a 500) are
 * passed through in OpenAI's shape, and so are the fake's for those statuses.
 */
import { FakeHttpError } from './fake-http-error.js';
import { forcedError } from './openai-error.js';

export function azureError(
  status: number,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): FakeHttpError {
  return new FakeHttpError(status, { error: { code, message } }, message, headers);
}

export const AZURE_ACCESS_DENIED =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an ' +
  'active subscription and use a correct regional API endpoint for your resource.';

export const azureResourceNotFound = (): FakeHttpError => azureError(404, '404', 'Resource not found');

export const azureDeploymentNotFound = (): FakeHttpError =>
  azureError(
    404,
    'DeploymentNotFound',
    'The API deployment for this resource does not exist. If you created the deployment within the last 5 ' +
      'minutes, please wait a moment and try again.',
  );

/** The statuses Azure's own layer answers; everything else comes from the model in OpenAI's shape. */
export function azureForcedError(status: number, errorCode?: string, retryAfterSeconds?: number): FakeHttpError {
  // Azure sends both; the official OpenAI SDK prefers the millisecond one.
  const retryHeaders: Record<string, string> =
    retryAfterSeconds === undefined
      ? {}
      : { 'retry-after': String(retryAfterSeconds), 'retry-after-ms': String(Math.round(retryAfterSeconds * 1000)) };
  switch (status) {
    case 401:
      return azureError(401, errorCode ?? '401', AZURE_ACCESS_DENIED, retryHeaders);
    case 403:
      return azureError(403, errorCode ?? 'PermissionDenied', 'Principal does not have access to API/Operation.');
    case 404: {
      const notFound = azureDeploymentNotFound();
      return errorCode === undefined ? notFound : azureError(404, errorCode, notFound.message);
    }
    case 429:
      return azureError(
        429,
        errorCode ?? '429',
        'Requests to the Azure OpenAI deployment have exceeded the rate limit of your current pricing tier. ' +
          `Please retry after ${retryAfterSeconds ?? 1} second${retryAfterSeconds === 1 ? '' : 's'}.`,
        retryHeaders,
      );
    default: {
      const passedThrough = forcedError(status, errorCode, retryAfterSeconds);
      return new FakeHttpError(status, passedThrough.body, passedThrough.message, {
        ...passedThrough.headers,
        ...retryHeaders,
      });
    }
  }
}
