import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { KeyStatus, KeyView } from '@tollgate/contracts';

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'user_id' })
  userId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** SHA-256 of the key, hex. The key itself is never stored. */
  @Column({ type: 'text', name: 'key_hash', select: false })
  keyHash!: string;

  @Column({ type: 'text' })
  prefix!: string;

  @Column({ type: 'text' })
  last6!: string;

  @Column({ type: 'text' })
  status!: KeyStatus;

  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'text', name: 'allowed_models', array: true, nullable: true })
  allowedModels!: string[] | null;

  @Column({ type: 'text', name: 'allowed_ip_ranges', array: true, nullable: true })
  allowedIpRanges!: string[] | null;

  /** Decimal micro-units; billing enforces it. */
  @Column({ type: 'bigint', name: 'budget_micros', nullable: true })
  budgetMicros!: string | null;

  @Column({ type: 'integer', name: 'rpm_limit', nullable: true })
  rpmLimit!: number | null;

  @Column({ type: 'timestamptz', name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}

export function toKeyView(key: ApiKeyEntity): KeyView {
  return {
    id: key.id,
    userId: key.userId,
    name: key.name,
    prefix: key.prefix,
    last6: key.last6,
    status: key.status,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    allowedModels: key.allowedModels,
    allowedIpRanges: key.allowedIpRanges,
    budgetMicros: key.budgetMicros,
    rpmLimit: key.rpmLimit,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}
