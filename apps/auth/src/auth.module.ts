import { Module } from '@nestjs/common';
import { serviceProviders } from '@tollgate/service';
import { databaseProviders } from '@tollgate/service/database';
import { AUTH_CONFIG, loadAuthConfig, type AuthConfig } from './auth.config.js';
import { AuthController } from './auth.controller.js';
import { authDatabase } from './auth.database.js';
import { AuthenticateService } from './authenticate/authenticate.service.js';
import { RootBootstrapService } from './bootstrap/root-bootstrap.service.js';
import { KeysService } from './keys/keys.service.js';
import { SessionsService } from './sessions/sessions.service.js';
import { NamesService } from './names/names.service.js';
import { UsersService } from './users/users.service.js';

@Module({
  controllers: [AuthController],
  providers: [
    { provide: AUTH_CONFIG, useFactory: loadAuthConfig },
    ...serviceProviders<AuthConfig>({ service: 'auth', configToken: AUTH_CONFIG }),
    ...databaseProviders<AuthConfig>({ configToken: AUTH_CONFIG, database: authDatabase }),
    AuthenticateService,
    UsersService,
    KeysService,
    SessionsService,
    NamesService,
    RootBootstrapService,
  ],
})
export class AuthModule {}
