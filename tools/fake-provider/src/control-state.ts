/**
 * The mutable control state of one fake provider instance and the precedence rule that turns it into the
 * controls of a single request. Precedence, lowest to highest:
 *
 *   built-in defaults < instance defaults < byModel[request model] < next queued one-shot < x-fake-* headers
 *
 * Headers win because they are the most specific thing a caller can say about one request; the queue beats
 * per-model defaults because a test that queues "429 then 200" means exactly the next requests.
 */
import {
  applyControlsPatch,
  BUILTIN_CONTROLS,
  InvalidControlError,
  parseControls,
  parseControlsPatch,
  type FakeControls,
  type FakeControlsPatch,
  type ResolvedControls,
} from './fake-controls.js';
import { isRecord } from './json-guards.js';

/** Update of the defaults: controls for every request plus, optionally, controls for given models. */
export interface FakeDefaultsPatch extends FakeControlsPatch {
  /** Per-model controls, merged into the existing ones; `null` removes that model's controls entirely. */
  byModel?: Record<string, FakeControlsPatch | null>;
}

/** The whole control state, as returned by `GET /__control`. */
export interface FakeControlSnapshot {
  defaults: FakeControls;
  byModel: Record<string, FakeControls>;
  queue: FakeControls[];
}

/** Validates a `POST /__control` body into a defaults patch. */
export function parseDefaultsPatch(value: unknown): FakeDefaultsPatch {
  const patch: FakeDefaultsPatch = parseControlsPatch(value, 'controls', ['byModel']);
  const byModel = isRecord(value) ? value.byModel : undefined;
  if (byModel === undefined) return patch;
  if (!isRecord(byModel)) {
    throw new InvalidControlError('controls.byModel must be an object keyed by model name');
  }
  const models: Record<string, FakeControlsPatch | null> = {};
  for (const [model, controls] of Object.entries(byModel)) {
    models[model] = controls === null ? null : parseControlsPatch(controls, `controls.byModel["${model}"]`);
  }
  return { ...patch, byModel: models };
}

/** Validates a `POST /__control/queue` body: a JSON array of controls, one per upcoming request. */
export function parseQueue(value: unknown): FakeControls[] {
  if (!Array.isArray(value)) {
    throw new InvalidControlError('the queue must be a JSON array of controls, e.g. [{"status":429},{"status":200}]');
  }
  return value.map((item: unknown, index) => parseControls(item, `queue[${index}]`));
}

export class ControlState {
  private defaults: FakeControls = {};
  private byModel = new Map<string, FakeControls>();
  private queue: FakeControls[] = [];

  /** @param initial what `reset()` returns to: the controls the instance was started with. */
  constructor(private readonly initial: FakeDefaultsPatch) {
    this.reset();
  }

  setDefaults(patch: FakeDefaultsPatch): void {
    this.defaults = applyControlsPatch(this.defaults, patch);
    for (const [model, modelPatch] of Object.entries(patch.byModel ?? {})) {
      if (modelPatch === null) this.byModel.delete(model);
      else this.byModel.set(model, applyControlsPatch(this.byModel.get(model) ?? {}, modelPatch));
    }
  }

  enqueue(controls: readonly FakeControls[]): number {
    this.queue.push(...controls);
    return this.queue.length;
  }

  /** Back to the start options; the queue is emptied. */
  reset(): void {
    this.defaults = {};
    this.byModel.clear();
    this.queue = [];
    this.setDefaults(this.initial);
  }

  /**
   * Controls of one request (without its headers, which the caller merges last).
   * @param consumeQueue whether this request takes the next one-shot entry; only inference calls do, so that
   *   a gateway's model listing or health check does not eat a failure meant for a completion.
   */
  resolve(model: string | undefined, consumeQueue: boolean): ResolvedControls {
    const forModel = model === undefined ? undefined : this.byModel.get(model);
    const queued = consumeQueue ? this.queue.shift() : undefined;
    return { ...BUILTIN_CONTROLS, ...this.defaults, ...forModel, ...queued };
  }

  snapshot(): FakeControlSnapshot {
    return {
      defaults: { ...this.defaults },
      byModel: Object.fromEntries([...this.byModel].map(([model, controls]) => [model, { ...controls }])),
      queue: this.queue.map((controls) => ({ ...controls })),
    };
  }
}
