import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChannelStatus, ChannelType } from '@tollgate/contracts';

@Entity({ name: 'channels' })
export class ChannelEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: ChannelType;

  @Column({ type: 'text', name: 'base_url' })
  baseUrl!: string;

  /** Azure's api-version; null = the adapter's default (and always null for the other types). */
  @Column({ type: 'text', name: 'api_version', nullable: true })
  apiVersion!: string | null;

  /** AES-256-GCM of the upstream key (see SecretBox). Only the router's channel table ever selects it. */
  @Column({ type: 'text', name: 'api_key_ciphertext', select: false })
  apiKeyCiphertext!: string;

  @Column({ type: 'text', name: 'api_key_last4' })
  apiKeyLast4!: string;

  @Column({ type: 'text', array: true })
  models!: string[];

  @Column({ type: 'jsonb', name: 'model_mapping' })
  modelMapping!: Record<string, string>;

  @Column({ type: 'text', array: true })
  groups!: string[];

  @Column({ type: 'integer' })
  priority!: number;

  @Column({ type: 'integer' })
  weight!: number;

  @Column({ type: 'text' })
  status!: ChannelStatus;

  @Column({ type: 'text', name: 'status_reason', nullable: true })
  statusReason!: string | null;

  @Column({ type: 'integer', name: 'connect_timeout_ms', nullable: true })
  connectTimeoutMs!: number | null;

  @Column({ type: 'integer', name: 'first_byte_timeout_ms', nullable: true })
  firstByteTimeoutMs!: number | null;

  @Column({ type: 'integer', name: 'idle_timeout_ms', nullable: true })
  idleTimeoutMs!: number | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
