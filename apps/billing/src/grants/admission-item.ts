import type { AdmissionRecord } from '@tollgate/contracts';
import type { AdmissionItem } from './grants.repository.js';

/** An admission record as billing.record_admission takes it; the hold it makes lives `holdTtlMs`. */
export const admissionItem = (record: AdmissionRecord, holdTtlMs: number): AdmissionItem => ({
  // Lower case, as PostgreSQL returns uuids.
  admissionId: record.admissionId.toLowerCase(),
  grantId: record.grantId.toLowerCase(),
  userId: record.userId.toLowerCase(),
  keyId: record.keyId.toLowerCase(),
  model: record.model,
  tid: record.tid || null,
  amountMicros: BigInt(record.amountMicros),
  ttlMs: holdTtlMs,
});
