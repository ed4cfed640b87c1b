import Foundation
import JSONWriting

/// The job as `POST /v1/jobs` answers it, written by hand (``JSONBytesWritable``) instead of by
/// the generated route's `JSONEncoder`, which took 6.7 % of the API server's CPU (`perf` under
/// `bench/api.sh`). Member for member as the generated `encode(to:)` with the API's encoder
/// options (`APIServer.openAPIConfiguration`): keys in `.sortedKeys` order, nil members left out,
/// dates as `RFC3339DateTranscoder` writes them. `FastRouteTests` holds the two to the same
/// bytes.
extension Components.Schemas.Job: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("attempt", attempt)
            json.memberIfPresent("batch", batch)
            json.member("created_at", RFC3339DateTranscoder.text(createdAt))
            json.memberIfPresent("deadline", deadline.map(RFC3339DateTranscoder.text))
            json.memberIfPresent("error", error)
            json.memberIfPresent("finished_at", finishedAt.map(RFC3339DateTranscoder.text))
            json.member("id", id)
            json.memberIfPresent("incomplete_reason", incompleteReason)
            json.member("max_attempts", maxAttempts)
            json.key("metadata")
            json.object(sortingKeysOf: metadata.additionalProperties)
            json.member("model", model)
            json.member("object", object.rawValue)
            json.memberIfPresent("output_text", outputText)
            json.memberIfPresent("parent", parent)
            json.memberIfPresent("partial", partial)
            json.memberIfPresent("poll_count", pollCount)
            json.member("priority", priority)
            json.member("project", project)
            json.memberIfPresent("remote_status", remoteStatus)
            json.memberIfPresent("response_id", responseId)
            json.memberIfPresent("served_tier", servedTier)
            json.memberIfPresent("service_tier", serviceTier?.rawValue)
            json.memberIfPresent("source_path", sourcePath)
            json.memberIfPresent("split", split)
            json.member("state", state.rawValue)
            json.memberIfPresent("submitted_at", submittedAt.map(RFC3339DateTranscoder.text))
            json.memberIfPresent("urgent", urgent)
            json.memberIfPresent("usage", usage)
            json.memberIfPresent("waiting", waiting)
        }
    }
}

extension Components.Schemas.JobError: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("code", code)
            json.member("message", message)
        }
    }
}

extension Components.Schemas.Usage: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("cached_tokens", cachedTokens)
            json.member("input_tokens", inputTokens)
            json.member("output_tokens", outputTokens)
            json.member("reasoning_tokens", reasoningTokens)
            json.member("total_tokens", totalTokens)
        }
    }
}

extension Components.Schemas.PartialOutput: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("age_seconds", ageSeconds)
            json.member("checkpointed_at", RFC3339DateTranscoder.text(checkpointedAt))
            json.memberIfPresent("output_tokens", outputTokens)
            json.member("text", text)
        }
    }
}

extension Components.Schemas.JobWait: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("message", message)
            json.memberIfPresent("next_try_at", nextTryAt.map(RFC3339DateTranscoder.text))
            json.member("reason", reason.rawValue)
            json.member("since", RFC3339DateTranscoder.text(since))
        }
    }
}

extension Components.Schemas.SplitProgress: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("calls", calls)
            json.member("chunks", chunks)
            json.member("chunks_completed", chunksCompleted)
            json.member("levels", levels)
        }
    }
}

extension Components.Schemas.SplitLevel: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("completed", completed)
            json.member("failed", failed)
            json.member("jobs", jobs)
            json.member("level", level)
            json.member("usage", usage)
        }
    }
}
