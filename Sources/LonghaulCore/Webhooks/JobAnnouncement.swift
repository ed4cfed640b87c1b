import Postgres

/// An ended job to announce and where: its event, the project's endpoints that subscribe to the
/// event, and the job's own `webhook_url`, as the finalizer's statement returns them.
struct JobAnnouncement: Sendable, Equatable {
    struct Endpoint: Sendable, Equatable {
        var id: Int64
        var url: String
        var includeResult: Bool
    }

    var event: JobEvent
    var endpoints: [Endpoint]
    var webhookURL: String?
    /// The summary, returned only when an endpoint asks for it.
    var resultText: String?

    /// One outbox row.
    struct Delivery: Sendable, Equatable {
        var projectID: Int64
        /// nil: the job's own `webhook_url`.
        var endpointID: Int64?
        var jobID: Int64
        var batchID: Int64?
        var url: String
        var eventType: String
        var body: String
    }

    /// The outbox rows: one per endpoint, in the order given, then one for the job's own URL,
    /// which always gets the thin body. Each body is written at most once, and only if a row
    /// takes it.
    func deliveries(publicBaseURL: String, maxBodyBytes: Int) -> [Delivery] {
        guard !endpoints.isEmpty || webhookURL != nil else { return [] }
        let full = resultText.flatMap { event.bodyWithResult(publicBaseURL: publicBaseURL, resultText: $0, maxBytes: maxBodyBytes) }
        var written: String?
        func thin() -> String {
            if let written { return written }
            let body = event.body(publicBaseURL: publicBaseURL, maxBytes: maxBodyBytes)
            written = body
            return body
        }
        func delivery(to url: String, endpointID: Int64?, body: String) -> Delivery {
            Delivery(
                projectID: event.projectID, endpointID: endpointID, jobID: event.jobID, batchID: event.batchID, url: url,
                eventType: event.eventType, body: body)
        }
        var rows = endpoints.map { delivery(to: $0.url, endpointID: $0.id, body: $0.includeResult ? full ?? thin() : thin()) }
        if let webhookURL { rows.append(delivery(to: webhookURL, endpointID: nil, body: thin())) }
        return rows
    }
}

extension JobAnnouncement {
    /// Reads one row of the finalizer's statement.
    init(row: PostgresRow) throws {
        let totalTokens = try row.decode("total_tokens", as: Int?.self)
        event = JobEvent(
            jobID: try row.decode("id"), publicID: try row.decode("public_id"), projectID: try row.decode("project_id"),
            projectSlug: try row.decode("project"), batchID: try row.decode("batch_id"), batchPublicID: try row.decode("batch"),
            state: try row.decode("state"), remoteStatus: try row.decode("remote_status"), model: try row.decode("model"),
            responseID: try row.decode("response_id"), attempt: try row.decode("attempt"), sourcePath: try row.decode("source_path"),
            metadataJSON: try row.decode("metadata"), createdAt: try row.decode("created_at"), finishedAt: try row.decode("finished_at"),
            usage: try totalTokens.map { total in
                JobEvent.EventUsage(
                    inputTokens: try row.decode("input_tokens"), cachedTokens: try row.decode("cached_tokens"),
                    outputTokens: try row.decode("output_tokens"), reasoningTokens: try row.decode("reasoning_tokens"), totalTokens: total)
            },
            errorCode: try row.decode("error_code"), errorMessage: try row.decode("error_message"),
            incompleteReason: try row.decode("incomplete_reason"))
        let ids = try row.decode("endpoint_ids", as: [Int64]?.self) ?? []
        let urls = try row.decode("endpoint_urls", as: [String]?.self) ?? []
        let includes = try row.decode("include_results", as: [Bool]?.self) ?? []
        guard ids.count == urls.count, ids.count == includes.count else {
            throw InternalInconsistency("job \(event.publicID): \(ids.count) endpoint ids, \(urls.count) URLs, \(includes.count) flags")
        }
        endpoints = ids.indices.map { Endpoint(id: ids[$0], url: urls[$0], includeResult: includes[$0]) }
        webhookURL = try row.decode("webhook_url")
        resultText = try row.decode("result_text")
    }
}
