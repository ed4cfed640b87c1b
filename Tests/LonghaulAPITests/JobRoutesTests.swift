import Foundation
import HTTPTypes
import HummingbirdTesting
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("API jobs")
struct JobRoutesTests {
    @Test("POST /v1/jobs enqueues and answers 202 with the job")
    func create() async throws {
        try await APIHarness.run { api in
            let response = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: [
                "document": "The river rose two metres overnight.", "metadata": ["customer": "acme"], "priority": 5,
                "max_output_tokens": 300, "reasoning_effort": "low",
            ])
            #expect(response.status == .accepted, "\(response.text)")
            let job = response.json
            #expect((job["id"] as? String)?.hasPrefix("job_") == true)
            #expect(job["object"] as? String == "job")
            #expect(job["state"] as? String == "queued")
            #expect(job["project"] as? String == "alpha")
            #expect(job["model"] as? String == "openai.gpt-oss-120b")
            #expect(job["priority"] as? Int == 5)
            #expect((job["metadata"] as? [String: String])?["customer"] == "acme")
            let fetched = try await api.send(.get, "/v1/jobs/\(job["id"] as? String ?? "")", token: api.alphaToken)
            #expect(fetched.status == .ok)
            #expect(fetched.json["id"] as? String == job["id"] as? String)
        }
    }

    @Test("a deadline is shown with the job, with whether it is near; one that has passed is refused by name")
    func deadline() async throws {
        try await APIHarness.run { api in
            let soon = Date().addingTimeInterval(120).ISO8601Format()
            let response = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: [
                "document": "The river rose two metres overnight.", "deadline": soon, "max_output_tokens": 100,
            ])
            #expect(response.status == .accepted, "\(response.text)")
            #expect((response.json["deadline"] as? String).flatMap { try? Date($0, strategy: .iso8601) }?.ISO8601Format() == soon)
            #expect(response.json["urgent"] as? Bool == true)
            let past = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: [
                "document": "The river rose two metres overnight.", "deadline": "2020-01-01T00:00:00Z",
            ])
            #expect(past.status == .badRequest)
            #expect(past.text.contains("deadline") && past.text.contains("has already passed"))
        }
    }

    @Test("GET /v1/jobs/{id} shows a held stream's checkpointed text and its age; not a cut attempt's, not in lists")
    func partialOutputOfAHeldStream() async throws {
        try await APIHarness.run { api in
            let created = try await api.send(
                .post, "/v1/jobs", token: api.alphaToken, object: ["document": "A long report.", "model": "anthropic.claude-opus-4-7"])
            let id = created.json["id"] as? String ?? ""
            #expect(try await api.fixture.count("SELECT count(*) FROM jobs WHERE held") == 1, "a Claude job runs as a held stream")
            // As a worker's checkpoint leaves it: running, the text so far written 3 s ago.
            try await api.fixture.pool.query("""
                UPDATE jobs SET state = 'running', remote_status = 'in_progress', attempt = 1, submitted_at = now() - interval '10 seconds',
                                partial_text = 'The report opens with', partial_output_tokens = 4, checkpointed_at = now() - interval '3 seconds'
                WHERE public_id = \(id)
                """)
            let job = try await api.send(.get, "/v1/jobs/\(id)", token: api.alphaToken).json
            #expect(job["state"] as? String == "running")
            let partial = try #require(job["partial"] as? [String: Any])
            #expect(partial["text"] as? String == "The report opens with")
            #expect(partial["output_tokens"] as? Int == 4)
            #expect((partial["age_seconds"] as? Int).map { $0 >= 3 } == true, "\(partial)")
            #expect(partial["checkpointed_at"] is String)
            let listed = try await api.send(.get, "/v1/jobs", token: api.alphaToken).json["data"] as? [[String: Any]]
            #expect(listed?.first?["partial"] == nil, "lists never carry partial texts")

            // A new attempt claimed after that checkpoint: the cut attempt's text is not its own.
            try await api.fixture.pool.query("UPDATE jobs SET attempt = 2, submitted_at = now() WHERE public_id = \(id)")
            #expect(try await api.send(.get, "/v1/jobs/\(id)", token: api.alphaToken).json["partial"] == nil)
        }
    }

    @Test("the same Idempotency-Key and body return the first job with 200; a different body is a 409")
    func idempotency() async throws {
        try await APIHarness.run { api in
            var headers = HTTPFields()
            headers[HTTPField.Name("Idempotency-Key")!] = "order-42"
            let body = #"{"document": "Quarterly report: revenue up 4%."}"#
            let first = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: body, headers: headers)
            let again = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: body, headers: headers)
            #expect(first.status == .accepted)
            #expect(again.status == .ok)
            #expect(again.json["id"] as? String == first.json["id"] as? String)
            let different = try await api.send(.post, "/v1/jobs", token: api.alphaToken, json: #"{"document": "Another text."}"#, headers: headers)
            #expect(different.status == .conflict)
            #expect(different.errorType == "conflict_error")
            #expect(try await api.fixture.count("SELECT count(*) FROM jobs") == 1)
            // The key is per project: beta may use the same one.
            let beta = try await api.send(.post, "/v1/jobs", token: api.betaToken, json: body, headers: headers)
            #expect(beta.status == .accepted)
        }
    }

    @Test("the admin token enqueues into default unless it names a project")
    func adminProjects() async throws {
        try await APIHarness.run { api in
            let plain = try await api.send(.post, "/v1/jobs", object: ["document": "Text one."])
            #expect(plain.json["project"] as? String == "default")
            let named = try await api.send(.post, "/v1/jobs", object: ["document": "Text two.", "project": "beta"])
            #expect(named.json["project"] as? String == "beta")
            let unknown = try await api.send(.post, "/v1/jobs", object: ["document": "Text three.", "project": "nope"])
            #expect(unknown.status == .notFound)
        }
    }

    @Test("GET /v1/jobs filters by state, batch, metadata and creation time")
    func filters() async throws {
        try await APIHarness.run { api in
            let tagged = try await api.createJob(token: api.alphaToken, extra: ["metadata": ["team": "red"]])
            let other = try await api.createJob(token: api.alphaToken, document: "Another document entirely.")
            #expect(try await api.send(.post, "/v1/jobs/\(other)/cancel", token: api.alphaToken).status == .ok)

            #expect(try await api.send(.get, "/v1/jobs?metadata_key=team&metadata_value=red", token: api.alphaToken).ids == [tagged])
            #expect(try await api.send(.get, "/v1/jobs?metadata_key=team", token: api.alphaToken).ids == [tagged])
            #expect(try await api.send(.get, "/v1/jobs?state=cancelled", token: api.alphaToken).ids == [other])
            #expect(try await api.send(.get, "/v1/jobs?state=queued", token: api.alphaToken).ids == [tagged])
            #expect(try await api.send(.get, "/v1/jobs?created_after=2999-01-01T00:00:00Z", token: api.alphaToken).ids.isEmpty)
            #expect(try await api.send(.get, "/v1/jobs?created_before=2999-01-01T00:00:00.000Z", token: api.alphaToken).ids.count == 2)
        }
    }

    @Test("cursor pagination neither skips nor repeats while jobs are being added")
    func paginationStability() async throws {
        try await APIHarness.run { api in
            var created: [String] = []
            for index in 0..<7 { created.append(try await api.createJob(token: api.alphaToken, document: "Document number \(index).")) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/v1/jobs?limit=3" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
                let page = try await api.send(.get, path, token: api.alphaToken)
                #expect(page.status == .ok, "\(page.text)")
                seen += page.ids
                cursor = page.json["next_cursor"] as? String
                #expect((page.json["has_more"] as? Bool) == (cursor != nil))
                // New work arrives between pages; it is newer than the cursor, so it shows on a fresh first page only.
                _ = try await api.createJob(token: api.alphaToken, document: "Arrived while paging \(seen.count).")
            } while cursor != nil
            #expect(seen == created.reversed(), "newest first, each job exactly once")
        }
    }

    @Test("cancel: queued → cancelled (200), running → cancel requested (202), completed → 409, cancelled again → 200")
    func cancelInEveryState() async throws {
        try await APIHarness.run { api in
            let queued = try await api.createJob(token: api.alphaToken)
            let cancelled = try await api.send(.post, "/v1/jobs/\(queued)/cancel", token: api.alphaToken)
            #expect(cancelled.status == .ok)
            #expect(cancelled.json["state"] as? String == "cancelled")
            #expect(try await api.send(.post, "/v1/jobs/\(queued)/cancel", token: api.alphaToken).status == .ok)

            let running = try await api.createJob(token: api.alphaToken, document: "A running one.")
            try await api.fixture.pool.query("UPDATE jobs SET state = 'running', response_id = 'resp_1', submitted_at = now() WHERE public_id = \(running)")
            let requested = try await api.send(.post, "/v1/jobs/\(running)/cancel", token: api.alphaToken)
            #expect(requested.status == .accepted)
            #expect(try await api.fixture.count("SELECT count(*) FROM jobs WHERE cancel_requested_at IS NOT NULL") == 1)

            let done = try await api.createJob(token: api.alphaToken, document: "A finished one.")
            try await api.fixture.pool.query("UPDATE jobs SET state = 'completed', finished_at = now() WHERE public_id = \(done)")
            let refused = try await api.send(.post, "/v1/jobs/\(done)/cancel", token: api.alphaToken)
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "already_finished")
        }
    }

    @Test("retry: failed → queued again (202); queued or completed → 409")
    func retryInEveryState() async throws {
        try await APIHarness.run { api in
            let failed = try await api.createJob(token: api.alphaToken)
            try await api.fixture.pool.query("UPDATE jobs SET state = 'failed', finished_at = now(), attempt = 1 WHERE public_id = \(failed)")
            let retried = try await api.send(.post, "/v1/jobs/\(failed)/retry", token: api.alphaToken)
            #expect(retried.status == .accepted, "\(retried.text)")
            #expect(retried.json["state"] as? String == "queued")
            let again = try await api.send(.post, "/v1/jobs/\(failed)/retry", token: api.alphaToken)
            #expect(again.status == .conflict)
            let cancelled = try await api.createJob(token: api.alphaToken, document: "To cancel.")
            _ = try await api.send(.post, "/v1/jobs/\(cancelled)/cancel", token: api.alphaToken)
            #expect(try await api.send(.post, "/v1/jobs/\(cancelled)/retry", token: api.alphaToken).status == .conflict)
        }
    }
}

@Suite("API cancel and retry in every state")
struct ControlMatrixTests {
    /// What cancel and retry answer for a job in each state.
    static let expected: [(state: JobState, cancel: HTTPResponse.Status, retry: HTTPResponse.Status)] = [
        (.queued, .ok, .conflict),
        (.submitting, .accepted, .conflict),
        (.running, .accepted, .conflict),
        (.completed, .conflict, .conflict),
        (.failed, .conflict, .accepted),
        (.incomplete, .conflict, .accepted),
        (.cancelled, .ok, .conflict),
    ]

    @Test("cancel and retry answer by the job's state", arguments: expected.map(\.state))
    func control(state: JobState) async throws {
        let expectation = try #require(Self.expected.first { $0.state == state })
        try await APIHarness.run { api in
            for action in ["cancel", "retry"] {
                let job = try await api.createJob(token: api.alphaToken, document: "A job to \(action) while \(state.rawValue).")
                try await api.fixture.pool.query("""
                    UPDATE jobs SET state = \(state.rawValue)::job_state, attempt = CASE WHEN \(state.rawValue) = 'queued' THEN 0 ELSE 1 END,
                                    response_id = CASE WHEN \(state.rawValue) IN ('running', 'completed', 'failed', 'incomplete') THEN 'resp_x' END,
                                    finished_at = CASE WHEN \(state.isTerminal) THEN now() END
                    WHERE public_id = \(job)
                    """)
                let response = try await api.send(.post, "/v1/jobs/\(job)/\(action)", token: api.alphaToken)
                #expect(response.status == (action == "cancel" ? expectation.cancel : expectation.retry), "\(action) while \(state): \(response.text)")
            }
        }
    }
}
