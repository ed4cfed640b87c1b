import Foundation
import LonghaulCore

/// The stored records as the API shows them (the generated schema types).
extension Components.Schemas.Job {
    init(_ job: JobDetail) {
        self.init(
            id: job.publicID, object: .job, project: job.project, batch: job.batch,
            state: Components.Schemas.JobState(rawValue: job.state.rawValue) ?? .queued, remoteStatus: job.remoteStatus,
            model: job.model, responseId: job.responseID, attempt: job.attempt, maxAttempts: job.maxAttempts,
            pollCount: job.pollCount, priority: job.priority, sourcePath: job.sourcePath,
            metadata: .init(additionalProperties: job.metadata), createdAt: job.createdAt, submittedAt: job.submittedAt,
            finishedAt: job.finishedAt, outputText: job.outputText, usage: job.usage.map(Components.Schemas.Usage.init),
            incompleteReason: job.incompleteReason,
            error: job.errorCode.map { Components.Schemas.JobError(code: $0, message: job.errorMessage ?? $0) },
            waiting: job.waiting.map(Components.Schemas.JobWait.init), parent: job.parent,
            split: job.split.map(Components.Schemas.SplitProgress.init),
            serviceTier: job.serviceTier.flatMap(Components.Schemas.ServiceTier.init(rawValue:)), servedTier: job.servedTier,
            deadline: job.deadline, urgent: job.deadline == nil ? nil : job.urgent,
            partial: job.partial.map { partial in
                Components.Schemas.PartialOutput(
                    text: partial.text, outputTokens: partial.outputTokens, checkpointedAt: partial.checkpointedAt,
                    ageSeconds: partial.ageSeconds())
            })
    }
}

extension Components.Schemas.JobWait {
    init(_ wait: JobWait) {
        self.init(
            reason: ReasonPayload(rawValue: wait.reason.rawValue) ?? .retrying, message: wait.message, since: wait.since,
            nextTryAt: wait.nextTryAt)
    }
}

extension Components.Schemas.ProjectHold {
    init(_ hold: LonghaulCore.ProjectHold, project: String) {
        self.init(
            kind: KindPayload(rawValue: hold.kind.rawValue) ?? .endpointUnavailable, code: hold.code, reason: hold.reason,
            message: hold.message(project: project), since: hold.since, nextTryAt: hold.nextProbeAt)
    }
}

extension Components.Schemas.SplitProgress {
    init(_ split: SplitProgress) {
        self.init(
            chunks: split.chunks, chunksCompleted: split.chunksCompleted, calls: split.calls,
            levels: split.levels.map { level in
                Components.Schemas.SplitLevel(
                    level: level.level, jobs: level.jobs, completed: level.completed, failed: level.failed, usage: .init(level.usage))
            })
    }
}

extension Components.Schemas.JobList {
    init(_ page: JobPage) {
        self.init(
            object: .list, data: page.jobs.map(Components.Schemas.Job.init), hasMore: page.nextCursor != nil, nextCursor: page.nextCursor)
    }
}

extension Components.Schemas.Usage {
    init(_ usage: Usage) {
        self.init(
            inputTokens: usage.inputTokens, cachedTokens: usage.cachedTokens, outputTokens: usage.outputTokens,
            reasoningTokens: usage.reasoningTokens, totalTokens: usage.totalTokens)
    }
}

extension Components.Schemas.Batch {
    init(_ batch: BatchSummary) {
        self.init(
            id: batch.publicID, object: .batch, project: batch.project, name: batch.name, source: batch.source,
            webhookUrl: batch.webhookURL, totalJobs: batch.totalJobs, counts: .init(additionalProperties: batch.counts),
            usage: .init(batch.usage), finished: batch.finished, createdAt: batch.createdAt, finishedAt: batch.finishedAt,
            budget: batch.budget.map { budget in
                .init(
                    maxCost: budget.maxCost, maxTokens: budget.maxTokens.map(Int.init), currency: budget.currency,
                    spentTokens: Int(budget.spentTokens), spentCost: budget.spentCost, reservedTokens: Int(budget.reservedTokens),
                    reservedCost: budget.reservedCost)
            })
    }
}

extension Components.Schemas.Project {
    init(_ project: LonghaulCore.Project) {
        self.init(
            id: project.slug, object: .project, slug: project.slug, region: project.region, runtimeRegion: project.runtimeRegion,
            baseUrl: project.baseURL,
            mantleProjectId: project.mantleProjectID, credential: project.credentialReference,
            defaultModel: project.defaultModel, maxInFlight: project.maxInFlight, tokensPerMinute: project.tokensPerMinute,
            maxAttempts: project.maxAttempts, retryWindowSeconds: project.retryWindowSeconds,
            tags: .init(additionalProperties: project.tags),
            archived: !project.isActive, archivedAt: project.archivedAt, createdAt: project.createdAt,
            hold: project.hold.map { Components.Schemas.ProjectHold($0, project: project.slug) })
    }
}

extension Components.Schemas.Token {
    init(_ token: APIToken) {
        self.init(
            id: token.publicID, object: .token, name: token.name, project: token.project, createdAt: token.createdAt,
            lastUsedAt: token.lastUsedAt, revokedAt: token.revokedAt)
    }
}

extension Components.Schemas.UsageRow {
    init(_ row: UsageRow) {
        self.init(
            group: row.group, jobs: row.jobs, completed: row.completed, failed: row.failed, incomplete: row.incomplete,
            cancelled: row.cancelled, inputTokens: row.inputTokens, cachedTokens: row.cachedTokens,
            outputTokens: row.outputTokens, reasoningTokens: row.reasoningTokens, cost: row.cost, currency: row.currency)
    }
}

extension Components.Schemas.WebhookEndpoint {
    init(_ endpoint: WebhookEndpoint, project: String) {
        self.init(
            id: endpoint.publicID, object: .webhookEndpoint, project: project, url: endpoint.url,
            eventTypes: endpoint.eventTypes.compactMap { Components.Schemas.WebhookEventType(rawValue: $0.rawValue) },
            includeResult: endpoint.includeResult, enabled: endpoint.enabled, disabledReason: endpoint.disabledReason,
            failingSince: endpoint.failingSince, createdAt: endpoint.createdAt)
    }
}

extension Components.Schemas.Delivery {
    init(_ delivery: DeliveryRecord) {
        self.init(
            id: delivery.publicID, object: .delivery, project: delivery.project, endpoint: delivery.endpoint,
            job: delivery.job, batch: delivery.batch, url: delivery.url, eventType: delivery.eventType,
            state: Components.Schemas.DeliveryState(rawValue: delivery.state.rawValue) ?? .pending,
            attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt, lastStatus: delivery.lastStatus,
            lastError: delivery.lastError, createdAt: delivery.createdAt, finishedAt: delivery.finishedAt)
    }
}

extension Components.Schemas.DeliveryDetail {
    init(_ detail: LonghaulCore.DeliveryDetail) {
        self.init(
            delivery: .init(detail.delivery), body: detail.body,
            attempts: detail.attempts.map { attempt in
                Components.Schemas.DeliveryAttempt(
                    attempt: attempt.attempt, startedAt: attempt.startedAt, durationMs: attempt.durationMilliseconds,
                    httpStatus: attempt.httpStatus, responseBody: attempt.responseBody, error: attempt.error,
                    address: attempt.address)
            })
    }
}
