import { FormData, Response } from 'undici';
import type { MultipartForm } from '../../http/multipart-form.js';
import type { OutboundBytes } from '../../relay/relay-exchange.js';

interface Built {
  upstreamModel: string;
  bytes: Buffer;
  contentType: string;
}

/**
 * A form as sent to one channel: the client's own bytes (and content type,
 * boundary included) when the channel serves the model by the name the form
 * gives; otherwise the same parts in the same order with `model` set to the
 * channel's name (or added: a default model the form did not name), encoded
 * once with undici's FormData — never by hand, so every boundary and header
 * is the encoder's. The last one is kept, as retries mostly reuse it.
 */
export class MultipartOutbound implements OutboundBytes {
  readonly usageAddedByEdge = false;
  private built: Built | null = null;

  constructor(
    private readonly form: MultipartForm,
    /** The model the form names; null when it names none. */
    private readonly namedModel: string | null,
  ) {}

  async prepare(upstreamModel: string): Promise<void> {
    if (upstreamModel === this.namedModel || this.built?.upstreamModel === upstreamModel) return;
    const encoded = new Response(this.rebuilt(upstreamModel));
    const bytes = Buffer.from(await encoded.arrayBuffer());
    this.built = { upstreamModel, bytes, contentType: encoded.headers.get('content-type') ?? '' };
  }

  for(upstreamModel: string): Buffer {
    return upstreamModel === this.namedModel ? this.form.raw : this.prepared(upstreamModel).bytes;
  }

  contentType(upstreamModel: string): string {
    return upstreamModel === this.namedModel ? this.form.contentType : this.prepared(upstreamModel).contentType;
  }

  private prepared(upstreamModel: string): Built {
    if (this.built?.upstreamModel !== upstreamModel) throw new Error(`the form for ${upstreamModel} was not prepared`);
    return this.built;
  }

  private rebuilt(upstreamModel: string): FormData {
    const out = new FormData();
    let named = false;
    for (const part of this.form.parts) {
      if (part.filename === null) {
        const isModel = part.name === 'model';
        named ||= isModel;
        out.append(part.name, isModel ? upstreamModel : part.data.toString('utf8'));
      } else {
        out.append(part.name, new Blob([part.data], { type: part.mimeType }), part.filename);
      }
    }
    if (!named) out.append('model', upstreamModel);
    return out;
  }
}
