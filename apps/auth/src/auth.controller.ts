import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AuthSubjects,
  type AuthenticateRequest,
  type CreateKeyRequest,
  type CreateUserRequest,
  type NamesRequest,
  type UserListRequest,
  type RequestOf,
  type UpdateKeyRequest,
  type UpdateUserRequest,
  type UserDirectoryRequest,
  type UserLookupRequest,
  type OpenSessionRequest,
  type SessionRequest,
  type CloseSessionRequest,
} from '@tollgate/contracts';
import { HandleRequest } from '@tollgate/nats/server';
import { AuthenticateService } from './authenticate/authenticate.service.js';
import { KeysService } from './keys/keys.service.js';
import { SessionsService } from './sessions/sessions.service.js';
import { NamesService } from './names/names.service.js';
import { UsersService } from './users/users.service.js';

/**
 * The auth service's NATS surface; every subject is declared in
 * @tollgate/contracts, and every request is checked against its schema
 * before a handler here sees it (see HandleRequest).
 */
@Controller()
export class AuthController {
  constructor(
    private readonly authentication: AuthenticateService,
    private readonly users: UsersService,
    private readonly keys: KeysService,
    private readonly sessions: SessionsService,
    private readonly namesOf: NamesService,
  ) {}

  @HandleRequest(AuthSubjects.authenticate)
  authenticate(@Payload() request: AuthenticateRequest) {
    return this.authentication.authenticate(request);
  }

  @HandleRequest(AuthSubjects.createUser)
  createUser(@Payload() request: CreateUserRequest) {
    return this.users.create(request);
  }

  @HandleRequest(AuthSubjects.listUsers)
  listUsers(@Payload() request: UserListRequest) {
    return this.users.list(request);
  }

  @HandleRequest(AuthSubjects.getUser)
  getUser(@Payload() request: RequestOf<typeof AuthSubjects.getUser>) {
    return this.users.get(request.userId);
  }

  @HandleRequest(AuthSubjects.updateUser)
  updateUser(@Payload() request: UpdateUserRequest) {
    return this.users.update(request);
  }

  @HandleRequest(AuthSubjects.userDirectory)
  userDirectory(@Payload() request: UserDirectoryRequest) {
    return this.users.directory(request);
  }

  @HandleRequest(AuthSubjects.lookupUsers)
  lookupUsers(@Payload() request: UserLookupRequest) {
    return this.users.lookup(request);
  }

  @HandleRequest(AuthSubjects.names)
  names(@Payload() request: NamesRequest) {
    return this.namesOf.names(request);
  }

  @HandleRequest(AuthSubjects.createKey)
  createKey(@Payload() request: CreateKeyRequest) {
    return this.keys.create(request);
  }

  @HandleRequest(AuthSubjects.listKeys)
  listKeys(@Payload() request: RequestOf<typeof AuthSubjects.listKeys>) {
    return this.keys.listForUser(request.userId);
  }

  @HandleRequest(AuthSubjects.updateKey)
  updateKey(@Payload() request: UpdateKeyRequest) {
    return this.keys.update(request);
  }

  @HandleRequest(AuthSubjects.revokeKey)
  revokeKey(@Payload() request: RequestOf<typeof AuthSubjects.revokeKey>) {
    return this.keys.revoke(request.keyId, request.actorRole);
  }

  /** Asked by the edge's /healthz on every probe (a load balancer's, every few seconds): its line is at debug. */
  @HandleRequest(AuthSubjects.ping, { logLevel: 'debug' })
  ping() {
    return { service: 'auth' };
  }

  @HandleRequest(AuthSubjects.openSession)
  openSession(@Payload() request: OpenSessionRequest) {
    return this.sessions.open(request);
  }

  @HandleRequest(AuthSubjects.resolveSession)
  resolveSession(@Payload() request: SessionRequest) {
    return this.sessions.resolve(request);
  }

  @HandleRequest(AuthSubjects.closeSession)
  closeSession(@Payload() request: CloseSessionRequest) {
    return this.sessions.close(request);
  }
}
