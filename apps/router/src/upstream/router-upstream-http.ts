import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { UpstreamHttp } from '@tollgate/providers';

/**
 * The router's pools to upstreams: its own calls are rare (tests, probes),
 * so a few connections per channel are plenty. Closed on shutdown, so no
 * socket outlives the process's work.
 */
@Injectable()
export class RouterUpstreamHttp extends UpstreamHttp implements OnApplicationShutdown {
  constructor() {
    super(4);
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
