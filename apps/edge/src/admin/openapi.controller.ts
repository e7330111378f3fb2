import { Controller, Get } from '@nestjs/common';
import { ADMIN_OPENAPI } from './openapi.document.js';

/** The admin API's description; public, it holds no secrets. */
@Controller('admin/v1')
export class OpenApiController {
  @Get('openapi.json')
  document() {
    return ADMIN_OPENAPI;
  }
}
