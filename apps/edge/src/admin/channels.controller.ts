import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { RouterSubjects, type ChannelInput, type ChannelStatus, type ChannelType } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { AdminArea } from '../principal/admin-principal.js';
import { AdminGuard } from '../principal/admin.guard.js';
import { NATS_BUS } from '../tokens.js';
import { AdminInput, unwrap } from './admin-input.js';
import { toChannelHealthResponse, toChannelResponse, toChannelTestResponse } from './admin-views.js';

/** Longer than the router's own upstream timeout for a test request, so its answer is not cut off. */
const CHANNEL_TEST_WAIT_MS = 65_000;

function channelId(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id < 1)
    throw new DenialException(DenialReason.InvalidChannelId);
  return id;
}

function channelInput(body: unknown): Partial<ChannelInput> {
  const input = AdminInput.of(body);
  const timeouts = input.object('timeouts');
  const out: Partial<ChannelInput> = {
    name: input.string('name'),
    type: input.string('type') as ChannelType | undefined,
    baseUrl: input.string('base_url'),
    apiKey: input.string('api_key'),
    models: input.stringList('models'),
    modelMapping: input.stringMap('model_mapping'),
    groups: input.stringList('groups'),
    priority: input.integer('priority'),
    weight: input.integer('weight'),
    status: input.string('status') as Exclude<ChannelStatus, 'auto_disabled'> | undefined,
    timeouts: timeouts && {
      connectMs: timeouts.integer('connect_ms'),
      firstByteMs: timeouts.integer('first_byte_ms'),
      idleMs: timeouts.integer('idle_ms'),
    },
  };
  return Object.fromEntries(Object.entries(out).filter(([, value]) => value !== undefined));
}

/** Upstream channels (role admin or root). The upstream key goes in and never comes out. */
@Controller('admin/v1/channels')
@UseGuards(AdminGuard)
@AdminArea('admin')
export class ChannelsController {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown) {
    const input = channelInput(body);
    return toChannelResponse(unwrap(await this.bus.request(RouterSubjects.createChannel, input as ChannelInput)));
  }

  @Get()
  async list() {
    const channels = await this.bus.request(RouterSubjects.listChannels, {});
    return { object: 'list', data: channels.map(toChannelResponse) };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return toChannelResponse(unwrap(await this.bus.request(RouterSubjects.getChannel, { channelId: channelId(id) })));
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown) {
    const patch = channelInput(body);
    return toChannelResponse(
      unwrap(await this.bus.request(RouterSubjects.updateChannel, { channelId: channelId(id), patch })),
    );
  }

  /** Sends a real request to the upstream and reports status and latency; a pass re-enables an auto-disabled channel. */
  @Post(':id/test')
  @HttpCode(200)
  async test(@Param('id') id: string, @Body() body: unknown) {
    const model = AdminInput.of(body).string('model');
    const result = unwrap(
      await this.bus.request(
        RouterSubjects.testChannel,
        { channelId: channelId(id), ...(model ? { model } : {}) },
        CHANNEL_TEST_WAIT_MS,
      ),
    );
    return toChannelTestResponse(result);
  }

  @Get(':id/health')
  async health(@Param('id') id: string) {
    return toChannelHealthResponse(
      unwrap(await this.bus.request(RouterSubjects.channelHealth, { channelId: channelId(id) })),
    );
  }

  @Delete(':id')
  async remove(@Param('id') id: string) {
    unwrap(await this.bus.request(RouterSubjects.deleteChannel, { channelId: channelId(id) }));
    return { id: channelId(id), object: 'channel', deleted: true };
  }
}
