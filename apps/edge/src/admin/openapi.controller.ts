import { Controller } from '@nestjs/common';
import { OPS_ROUTES } from '@tollgate/contracts';
import { Serve } from '../http/route.decorator.js';
import { EDGE_OPENAPI } from './openapi.document.js';

/** The edge's description; public, it holds no secrets. */
@Controller()
export class OpenApiController {
  @Serve(OPS_ROUTES.openApi)
  document() {
    return EDGE_OPENAPI;
  }
}
