import JSONWriting

/// A `job.<state>` event: what the finalizer's statement returns of one ended job, and the
/// webhook body built from it here, in the worker, rather than by PostgreSQL.
///
/// Built in SQL (`json_build_object`, three `to_char`), the outbox insert cost PostgreSQL 64 µs a
/// job against 32 µs for the same rows with bodies made beforehand (psql, 40 × 70 rows each way,
/// alternated, rolled back). PostgreSQL is the one part every worker shares; the worker writes a
/// body in a few microseconds with `JSONBytes`.
struct JobEvent: Sendable, Equatable {
    var jobID: Int64
    var publicID: String
    var projectID: Int64
    var projectSlug: String
    var batchID: Int64?
    var batchPublicID: String?
    var state: String
    var remoteStatus: String?
    var model: String
    var responseID: String?
    var attempt: Int
    var sourcePath: String?
    /// The job's metadata as `jsonb` prints it: valid JSON, spliced in whole.
    var metadataJSON: String
    /// `timestamptz` text as the session prints it (`2026-12-04 18:40:01.123456+00`).
    var createdAt: String
    var finishedAt: String
    var usage: EventUsage?
    var errorCode: String?
    /// At most 2,000 characters (cut by the statement).
    var errorMessage: String?
    var incompleteReason: String?

    struct EventUsage: Sendable, Equatable {
        var inputTokens: Int?
        var cachedTokens: Int?
        var outputTokens: Int?
        var reasoningTokens: Int?
        var totalTokens: Int
    }

    var eventType: String { "job." + state }

    /// The body for one receiver: with the summary when `resultText` is given and the whole body
    /// stays within `maxBytes` (Standard Webhooks: payloads are "usually smaller than 20kb";
    /// larger data is linked), otherwise the thin payload with its `result_url`.
    func body(publicBaseURL: String, resultText: String? = nil, maxBytes: Int) -> String {
        resultText.flatMap { bodyWithResult(publicBaseURL: publicBaseURL, resultText: $0, maxBytes: maxBytes) }
            ?? String(decoding: bytes(publicBaseURL: publicBaseURL, resultText: nil), as: UTF8.self)
    }

    /// The body with the summary, or nil when it would pass `maxBytes`.
    func bodyWithResult(publicBaseURL: String, resultText: String, maxBytes: Int) -> String? {
        let full = bytes(publicBaseURL: publicBaseURL, resultText: resultText)
        return full.count <= maxBytes ? String(decoding: full, as: UTF8.self) : nil
    }

    private func bytes(publicBaseURL: String, resultText: String?) -> [UInt8] {
        let finished = WebhookTimestamp.iso8601(postgres: finishedAt)
        var json = JSONBytes(capacity: 768 + (resultText?.utf8.count ?? 0) * 2)
        json.object { json in
            json.member("type", eventType)
            json.member("timestamp", finished)
            json.objectMember("data") { data in
                data.member("id", publicID)
                data.member("object", "job")
                data.member("project", projectSlug)
                data.member("batch", batchPublicID)
                data.member("state", state)
                data.member("remote_status", remoteStatus)
                data.member("model", model)
                data.member("response_id", responseID)
                data.member("attempt", attempt)
                data.member("source_path", sourcePath)
                if let usage {
                    data.objectMember("usage") { usageJSON in
                        usageJSON.member("input_tokens", usage.inputTokens)
                        usageJSON.member("cached_tokens", usage.cachedTokens)
                        usageJSON.member("output_tokens", usage.outputTokens)
                        usageJSON.member("reasoning_tokens", usage.reasoningTokens)
                        usageJSON.member("total_tokens", usage.totalTokens)
                    }
                } else {
                    data.nullMember("usage")
                }
                if errorCode != nil || errorMessage != nil {
                    data.objectMember("error") { error in
                        error.member("code", errorCode)
                        error.member("message", errorMessage)
                    }
                } else {
                    data.nullMember("error")
                }
                if let incompleteReason {
                    data.objectMember("incomplete_details") { $0.member("reason", incompleteReason) }
                } else {
                    data.nullMember("incomplete_details")
                }
                data.key("metadata")
                data.splice(metadataJSON)
                data.member("created_at", WebhookTimestamp.iso8601(postgres: createdAt))
                data.member("finished_at", finished)
                data.member("result_url", publicBaseURL + "/v1/jobs/" + publicID)
                if let resultText {
                    data.objectMember("result") { $0.member("text", resultText) }
                }
            }
        }
        return json.bytes
    }
}

/// Event timestamps: ISO 8601 in UTC to the millisecond, as `to_char(… 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
/// wrote them: the fraction cut, not rounded.
enum WebhookTimestamp {
    /// From `timestamptz` text as a session with `TimeZone=UTC` and `DateStyle=ISO` prints it
    /// (`2026-12-04 18:40:01.123456+00`, the fraction shortened or left out when it ends in
    /// zeros). Text of any other shape is returned as it came: never seen from such a session,
    /// and an event is still written.
    static func iso8601(postgres text: String) -> String {
        var utf8 = Array(text.utf8)
        // `YYYY-MM-DD HH:MM:SS` is 19 bytes; then an optional `.f…` and `+00`.
        guard utf8.count >= 22, utf8[10] == UInt8(ascii: " "), utf8.suffix(3) == Array("+00".utf8) else { return text }
        utf8.removeLast(3)
        var fraction: ArraySlice<UInt8> = []
        if utf8.count > 19 {
            guard utf8[19] == UInt8(ascii: "."), utf8.count <= 26 else { return text }
            fraction = utf8[20...]
        }
        var out = Array(utf8[0..<19])
        out[10] = UInt8(ascii: "T")
        out.append(UInt8(ascii: "."))
        let millis = Array(fraction.prefix(3))
        out += millis + Array(repeating: UInt8(ascii: "0"), count: 3 - millis.count)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
