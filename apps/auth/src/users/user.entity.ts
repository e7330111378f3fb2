import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role, UserRecord, UserStatus, UserView } from '@tollgate/contracts';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'text', name: 'group_name' })
  group!: string;

  @Column({ type: 'text' })
  status!: UserStatus;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    group: user.group,
    status: user.status,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

/** The user as other services keep it (see UserRecord): no name, no e-mail. */
export function toUserRecord(user: Pick<UserEntity, 'id' | 'group' | 'status' | 'updatedAt'>): UserRecord {
  return { id: user.id, group: user.group, status: user.status, updatedAt: user.updatedAt.toISOString() };
}
