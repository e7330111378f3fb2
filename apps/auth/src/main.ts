import { runNatsService } from '@tollgate/service/nats-service';
import { loadAuthConfig } from './auth.config.js';
import { authDatabase } from './auth.database.js';
import { AuthModule } from './auth.module.js';

const config = loadAuthConfig();
runNatsService({ service: 'auth', module: AuthModule, config, database: (logger) => authDatabase(config, logger) });
