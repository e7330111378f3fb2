import { AdmissionRecord, compile } from '@tollgate/contracts';
import { parseBatchMessage, type BatchMessage } from '../streams/batch-message.js';

const recordCheck = compile(AdmissionRecord);

/** An AdmissionBatch (what edges append) or a single record (see parseBatchMessage). */
export function parseAdmissionMessage(value: unknown): BatchMessage<AdmissionRecord> | { error: string } {
  return parseBatchMessage(value, 'admissions', (entry) => {
    const checked = recordCheck.check(entry);
    return checked.ok ? checked.value : { error: checked.problem.detail };
  });
}
