import { Controller, Inject } from '@nestjs/common';
import { ADMIN_ROUTES as R, RouterSubjects, type ChannelCreate, type ChannelInput } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { Checked, Serve, type CheckedInput } from '../http/route.decorator.js';
import { NATS_BUS } from '../tokens.js';
import { unwrap } from './admin-input.js';
import { toChannelHealthResponse, toChannelResponse, toChannelTestResponse } from './admin-views.js';

/** Longer than the router's own upstream timeout for a test request, so its answer is not cut off. */
const CHANNEL_TEST_WAIT_MS = 65_000;

/** The admin API's channel fields as the router takes them (camelCase); absent fields stay absent. */
function channelInput(body: Partial<ChannelCreate>): Partial<ChannelInput> {
  const out: Partial<ChannelInput> = {
    name: body.name,
    type: body.type,
    baseUrl: body.base_url,
    apiVersion: body.api_version,
    apiKey: body.api_key,
    models: body.models,
    modelMapping: body.model_mapping,
    groups: body.groups,
    priority: body.priority,
    weight: body.weight,
    status: body.status,
    timeouts: body.timeouts && {
      connectMs: body.timeouts.connect_ms,
      firstByteMs: body.timeouts.first_byte_ms,
      idleMs: body.timeouts.idle_ms,
    },
  };
  // Absent fields are undefined here and vanish on the wire (JSON), so an update keeps them.
  return out;
}

/** Upstream channels (role admin or root). The upstream key goes in and never comes out. */
@Controller()
export class ChannelsController {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  @Serve(R.createChannel)
  async create(@Checked() { body }: CheckedInput<typeof R.createChannel>) {
    const input = channelInput(body) as ChannelInput;
    return toChannelResponse(unwrap(await this.bus.request(RouterSubjects.createChannel, input)));
  }

  @Serve(R.listChannels)
  async list() {
    const channels = await this.bus.request(RouterSubjects.listChannels, {});
    return { object: 'list' as const, data: channels.map(toChannelResponse) };
  }

  @Serve(R.getChannel)
  async get(@Checked() { params }: CheckedInput<typeof R.getChannel>) {
    return toChannelResponse(
      unwrap(await this.bus.request(RouterSubjects.getChannel, { channelId: Number(params.id) })),
    );
  }

  @Serve(R.updateChannel)
  async update(@Checked() { params, body }: CheckedInput<typeof R.updateChannel>) {
    const patch = channelInput(body);
    return toChannelResponse(
      unwrap(await this.bus.request(RouterSubjects.updateChannel, { channelId: Number(params.id), patch })),
    );
  }

  @Serve(R.testChannel)
  async test(@Checked() { params, body }: CheckedInput<typeof R.testChannel>) {
    const result = unwrap(
      await this.bus.request(
        RouterSubjects.testChannel,
        { channelId: Number(params.id), ...(body.model ? { model: body.model } : {}) },
        CHANNEL_TEST_WAIT_MS,
      ),
    );
    return toChannelTestResponse(result);
  }

  @Serve(R.channelHealth)
  async health(@Checked() { params }: CheckedInput<typeof R.channelHealth>) {
    return toChannelHealthResponse(
      unwrap(await this.bus.request(RouterSubjects.channelHealth, { channelId: Number(params.id) })),
    );
  }

  @Serve(R.deleteChannel)
  async remove(@Checked() { params }: CheckedInput<typeof R.deleteChannel>) {
    const channelId = Number(params.id);
    unwrap(await this.bus.request(RouterSubjects.deleteChannel, { channelId }));
    return { id: channelId, object: 'channel' as const, deleted: true as const };
  }
}
