import { compile, DEFAULT_IMAGE_MODEL, IMAGE_EDIT_FORM, ImageEditRequest } from '@tollgate/contracts';
import type { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec, RequestEstimate } from '../endpoint.js';
import { checkForm } from '../uploads/form-check.js';
import { MultipartOutbound } from '../uploads/multipart-outbound.js';
import { formOf } from '../../http/upload-routes.js';
import { checkImageRules, imageEstimate } from './image-rules.js';
import { imagesProduced } from './images.endpoint.js';

const contract = compile(ImageEditRequest);

/**
 * `POST /v1/images/edits`, a form: the image (`image`, or `image[]` parts
 * for several), an optional mask and the text fields. The image rules of
 * generations apply as they are, against the same capabilities; billed like
 * generations, per image at the requested size.
 */
export function imageEditsEndpoint(capabilities: ModelCapabilities): EndpointSpec {
  return {
    endpoint: 'images.edits',
    defaultModel: DEFAULT_IMAGE_MODEL,
    streams: false,

    validate(body): void {
      checkForm(IMAGE_EDIT_FORM, contract, body);
      checkImageRules(body, capabilities);
    },

    outbound(body) {
      const form = formOf(body);
      if (!form) throw new Error('an image edit without its form reached the relay');
      return new MultipartOutbound(form, typeof body.model === 'string' ? body.model : null);
    },

    estimate(body): RequestEstimate {
      return imageEstimate(body, capabilities);
    },

    usageFromResponse: (json, _body, estimate) => imagesProduced(json, estimate),
  };
}
