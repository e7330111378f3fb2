import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { UpstreamHttp } from '@tollgate/providers';

/**
 * The edge's pools to upstreams (libs/providers' one undici client): up to
 * 256 connections per channel, closed on shutdown.
 */
@Injectable()
export class UpstreamClient extends UpstreamHttp implements OnApplicationShutdown {
  constructor() {
    super(256);
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
