import { Controller, Inject, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RouterSubjects, V1_ROUTES, type Principal } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { checkInput, Serve } from '../../http/route.decorator.js';
import { PrincipalService } from '../../principal/principal.service.js';
import { EdgeRoutingTable } from '../../routing/edge-routing-table.js';
import { NATS_BUS } from '../../tokens.js';
import { anthropicModel, anthropicModelPage, openAiModel, speaksAnthropic } from './model-forms.js';

/**
 * The models the calling key may use: its allowed models ∩ the models some
 * channel serves to its group (the router's list, of channels that can be
 * routed, as the edge's routing table lists them). In OpenAI's form, or Anthropic's for its SDKs and Claude Code.
 */
@Controller()
export class ModelsController {
  constructor(
    private readonly principals: PrincipalService,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    private readonly routing: EdgeRoutingTable,
  ) {}

  @Serve(V1_ROUTES.listModels)
  async list(@Req() request: FastifyRequest): Promise<object> {
    const principal = await this.principals.authenticate(request, null);
    const { query } = checkInput(V1_ROUTES.listModels, request);
    const models = await this.usableModels(principal);
    if (speaksAnthropic(request)) return anthropicModelPage(models, query);
    return { object: 'list', data: models.map(openAiModel) };
  }

  @Serve(V1_ROUTES.getModel)
  async get(@Req() request: FastifyRequest): Promise<object> {
    const principal = await this.principals.authenticate(request, (request.params as { id?: string }).id ?? null);
    const { id } = checkInput(V1_ROUTES.getModel, request).params;
    if (!(await this.usableModels(principal)).includes(id)) {
      throw new DenialException(DenialReason.ResourceNotFound, { detail: `model ${id} does not exist` });
    }
    return speaksAnthropic(request) ? anthropicModel(id) : openAiModel(id);
  }

  private async usableModels(principal: Principal): Promise<string[]> {
    // From the routing table this edge holds; the router's own answer while it holds none.
    const served =
      this.routing.models(principal.group) ??
      (await this.bus.request(RouterSubjects.models, { group: principal.group }));
    const allowed = principal.allowedModels ? new Set(principal.allowedModels) : null;
    return allowed ? served.filter((model) => allowed.has(model)) : served;
  }
}
