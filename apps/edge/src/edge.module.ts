import { Module } from '@nestjs/common';
import { READINESS_CHECKS, serviceProviders } from '@tollgate/service';
import { BillingController } from './admin/billing.controller.js';
import { BillingStaffController } from './admin/billing-staff.controller.js';
import { ChannelsController } from './admin/channels.controller.js';
import { OpenApiController } from './admin/openapi.controller.js';
import { RequestLogController } from './admin/request-log.controller.js';
import { SessionController } from './admin/session.controller.js';
import { UsersController } from './admin/users.controller.js';
import { loadEdgeConfig, type EdgeConfig } from './edge.config.js';
import { HealthController } from './health/health.controller.js';
import { servicePings } from './health/service-pings.js';
import { SpeechController } from './openai/audio/speech.controller.js';
import { TranscriptionsController } from './openai/audio/transcriptions.controller.js';
import { ModelCapabilities } from './openai/capabilities/model-capabilities.js';
import { ChatCompletionsController } from './openai/chat/chat-completions.controller.js';
import { CompletionsController } from './openai/completions/completions.controller.js';
import { EmbeddingsController } from './openai/embeddings/embeddings.controller.js';
import { ImagesController } from './openai/images/images.controller.js';
import { ModelsController } from './openai/models/models.controller.js';
import { ModerationsController } from './openai/moderations/moderations.controller.js';
import { DashboardController } from './openai/dashboard/dashboard.controller.js';
import { AdminGuard } from './principal/admin.guard.js';
import { PrincipalService } from './principal/principal.service.js';
import { AttemptLoop } from './relay/attempt-loop.js';
import { BinaryAnswer } from './relay/binary-answer.js';
import { ChannelPicker } from './relay/channel-picker.js';
import { EventStreamAnswer } from './relay/event-stream-answer.js';
import { ShutdownDeadline } from './relay/shutdown-deadline.js';
import { HoldSettler } from './relay/hold-settler.js';
import { InputTokenRatios } from './relay/input-token-ratios.js';
import { JsonAnswer } from './relay/json-answer.js';
import { OutcomeReporter } from './relay/outcome-reporter.js';
import { EdgeRoutingTable } from './routing/edge-routing-table.js';
import { RelayService } from './relay/relay.service.js';
import { StoredResponses } from './dialects/stored-responses.js';
import { StoredResponseCalls } from './dialects/stored-response-calls.js';
import { MessageTokenCounter } from './anthropic/message-token-counter.js';
import { MessagesController } from './anthropic/messages.controller.js';
import { ResponsesController } from './openai/responses/responses.controller.js';
import { RequestAdmission } from './relay/request-admission.js';
import { AdmissionJournal } from './grants/admission-journal.js';
import { EdgeGrants } from './grants/edge-grants.js';
import { EDGE_ID, newEdgeId } from './grants/edge-identity.js';
import { UpstreamAttempt } from './relay/upstream-attempt.js';
import { SettlementPublisher } from './settlement/settlement.publisher.js';
import { EDGE_CONFIG, NATS_BUS } from './tokens.js';
import type { NatsBus } from '@tollgate/nats';
import { UpstreamClient } from './upstream/upstream.client.js';

@Module({
  controllers: [
    ChatCompletionsController,
    ResponsesController,
    MessagesController,
    CompletionsController,
    EmbeddingsController,
    ImagesController,
    SpeechController,
    TranscriptionsController,
    ModerationsController,
    ModelsController,
    DashboardController,
    SessionController,
    UsersController,
    ChannelsController,
    BillingController,
    BillingStaffController,
    RequestLogController,
    OpenApiController,
    HealthController,
  ],
  providers: [
    { provide: EDGE_CONFIG, useFactory: loadEdgeConfig },
    ...serviceProviders<EdgeConfig>({ service: 'edge', configToken: EDGE_CONFIG }),
    // Ready: a replica of each service answers (the edge can serve nothing without one).
    { provide: READINESS_CHECKS, inject: [NATS_BUS], useFactory: servicePings },
    {
      provide: ModelCapabilities,
      inject: [EDGE_CONFIG],
      useFactory: (config: EdgeConfig) => new ModelCapabilities(config.MODEL_CAPABILITIES),
    },
    PrincipalService,
    AdminGuard,
    UpstreamClient,
    SettlementPublisher,
    { provide: EDGE_ID, useFactory: newEdgeId },
    AdmissionJournal,
    EdgeGrants,
    // The request path, in the order a request meets it (see RelayService).
    ChannelPicker,
    HoldSettler,
    InputTokenRatios,
    RequestAdmission,
    EdgeRoutingTable,
    {
      provide: OutcomeReporter,
      inject: [NATS_BUS, EdgeRoutingTable, EDGE_CONFIG],
      useFactory: (bus: NatsBus, routing: EdgeRoutingTable, config: EdgeConfig) =>
        new OutcomeReporter(bus, routing, config.OUTCOME_BATCH_LINGER_MS),
    },
    JsonAnswer,
    BinaryAnswer,
    ShutdownDeadline,
    EventStreamAnswer,
    UpstreamAttempt,
    AttemptLoop,
    StoredResponses,
    RelayService,
    StoredResponseCalls,
    MessageTokenCounter,
  ],
})
export class EdgeModule {}
