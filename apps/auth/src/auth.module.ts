import { Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openServiceDatabase, type ServiceDatabase } from '@tollgate/db';
import { NatsBus } from '@tollgate/nats';
import { createLogger, type Logger } from '@tollgate/observability';
import { AUTH_CONFIG, loadAuthConfig, type AuthConfig } from './auth.config.js';
import { AuthController } from './auth.controller.js';
import { authDatabase } from './auth.database.js';
import { AuthenticateService } from './authenticate/authenticate.service.js';
import { RootBootstrapService } from './bootstrap/root-bootstrap.service.js';
import { KeysService } from './keys/keys.service.js';
import { LOGGER, NATS_BUS } from './tokens.js';
import { UsersService } from './users/users.service.js';

const SERVICE_DATABASE = Symbol('SERVICE_DATABASE');

@Module({
  controllers: [AuthController],
  providers: [
    { provide: AUTH_CONFIG, useFactory: loadAuthConfig },
    {
      provide: LOGGER,
      useFactory: (config: AuthConfig) => createLogger('auth', config.LOG_LEVEL),
      inject: [AUTH_CONFIG],
    },
    {
      provide: SERVICE_DATABASE,
      inject: [AUTH_CONFIG, LOGGER],
      useFactory: (config: AuthConfig, logger: Logger) => openServiceDatabase(authDatabase(config, logger)),
    },
    { provide: DataSource, inject: [SERVICE_DATABASE], useFactory: (db: ServiceDatabase) => db.dataSource },
    {
      provide: NATS_BUS,
      inject: [AUTH_CONFIG, LOGGER],
      useFactory: (config: AuthConfig, logger: Logger) =>
        NatsBus.connect({
          servers: config.NATS_URL,
          name: 'auth-bus',
          requestTimeoutMs: config.NATS_REQUEST_TIMEOUT_MS,
          logger,
        }),
    },
    AuthenticateService,
    UsersService,
    KeysService,
    RootBootstrapService,
  ],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(
    @Inject(SERVICE_DATABASE) private readonly database: ServiceDatabase,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.database.close();
  }
}
