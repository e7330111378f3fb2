import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthSubjects,
  type AuthenticateRequest,
  type CreateKeyRequest,
  type CreateUserRequest,
  type PageRequest,
  type RequestOf,
  type UpdateKeyRequest,
  type UpdateUserRequest,
} from '@tollgate/contracts';
import { AuthenticateService } from './authenticate/authenticate.service.js';
import { KeysService } from './keys/keys.service.js';
import { UsersService } from './users/users.service.js';

/** The auth service's NATS surface; every subject is declared in @tollgate/contracts. */
@Controller()
export class AuthController {
  constructor(
    private readonly authentication: AuthenticateService,
    private readonly users: UsersService,
    private readonly keys: KeysService,
  ) {}

  @MessagePattern(AuthSubjects.authenticate.name)
  authenticate(@Payload() request: AuthenticateRequest) {
    return this.authentication.authenticate(request);
  }

  @MessagePattern(AuthSubjects.createUser.name)
  createUser(@Payload() request: CreateUserRequest) {
    return this.users.create(request);
  }

  @MessagePattern(AuthSubjects.listUsers.name)
  listUsers(@Payload() request: PageRequest) {
    return this.users.list(request);
  }

  @MessagePattern(AuthSubjects.getUser.name)
  getUser(@Payload() request: RequestOf<typeof AuthSubjects.getUser>) {
    return this.users.get(request.userId);
  }

  @MessagePattern(AuthSubjects.updateUser.name)
  updateUser(@Payload() request: UpdateUserRequest) {
    return this.users.update(request);
  }

  @MessagePattern(AuthSubjects.createKey.name)
  createKey(@Payload() request: CreateKeyRequest) {
    return this.keys.create(request);
  }

  @MessagePattern(AuthSubjects.listKeys.name)
  listKeys(@Payload() request: RequestOf<typeof AuthSubjects.listKeys>) {
    return this.keys.listForUser(request.userId);
  }

  @MessagePattern(AuthSubjects.updateKey.name)
  updateKey(@Payload() request: UpdateKeyRequest) {
    return this.keys.update(request);
  }

  @MessagePattern(AuthSubjects.revokeKey.name)
  revokeKey(@Payload() request: RequestOf<typeof AuthSubjects.revokeKey>) {
    return this.keys.revoke(request.keyId, request.actorRole);
  }

  @MessagePattern(AuthSubjects.ping.name)
  ping() {
    return { service: 'auth' };
  }
}
