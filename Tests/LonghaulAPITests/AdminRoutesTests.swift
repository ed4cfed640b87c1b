import Foundation
import HTTPTypes
import HummingbirdTesting
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("API projects, tokens and usage")
struct AdminRoutesTests {
    @Test("the admin creates, reads, updates and archives a project; an archived project takes no jobs")
    func projectLifecycle() async throws {
        try await APIHarness.run { api in
            let created = try await api.send(.post, "/v1/projects", object: [
                "slug": "gamma", "region": "us-west-2", "default_model": "openai.gpt-oss-20b", "max_in_flight": 20,
                "credential": "env:GAMMA_KEY", "tags": ["cost-center": "cc-7"],
            ])
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["region"] as? String == "us-west-2")
            #expect(created.json["credential"] as? String == "env:GAMMA_KEY")
            #expect(try await api.send(.post, "/v1/projects", object: ["slug": "gamma"]).status == .conflict)
            #expect(try await api.send(.post, "/v1/projects", object: ["slug": "Not Valid!"]).status == .badRequest)

            let updated = try await api.send(.patch, "/v1/projects/gamma", object: ["max_in_flight": 5, "tokens_per_minute": 100_000])
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(updated.json["max_in_flight"] as? Int == 5)
            #expect(updated.json["tokens_per_minute"] as? Int == 100_000)
            let cleared = try await api.send(.patch, "/v1/projects/gamma", object: ["tokens_per_minute": 0])
            #expect(cleared.json["tokens_per_minute"] == nil)
            #expect(try await api.send(.patch, "/v1/projects/nope", object: ["max_in_flight": 5]).status == .notFound)

            // Enqueued once first, so the server keeps the project (`RequestLookups`): the archive must forget it.
            #expect(try await api.send(.post, "/v1/jobs", object: ["document": "Early work.", "project": "gamma"]).status == .accepted)
            let archived = try await api.send(.post, "/v1/projects/gamma/archive")
            #expect(archived.json["archived"] as? Bool == true)
            let refused = try await api.send(.post, "/v1/jobs", object: ["document": "Late work.", "project": "gamma"])
            #expect(refused.status == .conflict)
            #expect(!(try await api.send(.get, "/v1/projects").ids.contains("gamma")))
            #expect(try await api.send(.get, "/v1/projects?include_archived=true").ids.contains("gamma"))
        }
    }

    @Test("a project's bedrock-runtime Region: set on create, changed and cleared by PATCH, refused by name when malformed")
    func runtimeRegion() async throws {
        try await APIHarness.run { api in
            let created = try await api.send(
                .post, "/v1/projects", object: ["slug": "delta", "region": "us-east-1", "runtime_region": "eu-west-1"])
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["runtime_region"] as? String == "eu-west-1")
            let changed = try await api.send(.patch, "/v1/projects/delta", object: ["runtime_region": "us-west-2"])
            #expect(changed.json["runtime_region"] as? String == "us-west-2")
            #expect(try await api.fixture.projects.get(slug: "delta").runtimeRegion == "us-west-2")
            let cleared = try await api.send(.patch, "/v1/projects/delta", object: ["runtime_region": ""])
            #expect(cleared.json["runtime_region"] == nil)
            let bad = try await api.send(.patch, "/v1/projects/delta", object: ["runtime_region": "Mars 1"])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("runtime_region"))
        }
    }

    @Test("a project's token pauses and resumes its project; the hold shows on the project and on each waiting job")
    func pauseAndResume() async throws {
        try await APIHarness.run { api in
            let jobID = try await api.createJob(token: api.alphaToken)
            let paused = try await api.send(.post, "/v1/projects/alpha/pause", token: api.alphaToken, object: ["reason": "quota review"])
            #expect(paused.status == .ok, "\(paused.text)")
            let hold = try #require(paused.json["hold"] as? [String: Any])
            #expect(hold["kind"] as? String == "paused_by_operator" && hold["reason"] as? String == "quota review")
            #expect((hold["message"] as? String)?.contains("longhaul projects resume alpha") == true)
            let job = try await api.send(.get, "/v1/jobs/\(jobID)", token: api.alphaToken)
            let waiting = try #require(job.json["waiting"] as? [String: Any], "\(job.text)")
            #expect(waiting["reason"] as? String == "paused_by_operator")
            // Another project's token cannot see it, let alone steer it.
            #expect(try await api.send(.post, "/v1/projects/alpha/resume", token: api.betaToken).status == .notFound)
            let resumed = try await api.send(.post, "/v1/projects/alpha/resume", token: api.alphaToken)
            #expect(resumed.status == .ok && resumed.json["hold"] == nil, "\(resumed.text)")
            #expect(try await api.send(.get, "/v1/jobs/\(jobID)", token: api.alphaToken).json["waiting"] == nil)
            // The reason is optional, and so is the body that carries it.
            let bare = try await api.send(.post, "/v1/projects/alpha/pause", token: api.alphaToken)
            #expect(bare.status == .ok && (bare.json["hold"] as? [String: Any])?["kind"] as? String == "paused_by_operator", "\(bare.text)")
            let events = try await api.fixture.count("SELECT count(*) FROM deliveries WHERE event_type LIKE 'project.%'")
            #expect(events == 0, "no endpoint is registered, so nothing is announced")
        }
    }

    @Test("a token's secret is shown once; project tokens act for their project, admin tokens for all")
    func tokens() async throws {
        try await APIHarness.run { api in
            let created = try await api.send(.post, "/v1/tokens", object: ["name": "batch runner", "project": "beta"])
            #expect(created.status == .created)
            let secret = try #require(created.json["secret"] as? String)
            #expect(secret.hasPrefix("lh_"))
            let token = try #require(created.json["token"] as? [String: Any])
            #expect(token["project"] as? String == "beta")
            let job = try await api.createJob(token: secret)
            #expect(try await api.send(.get, "/v1/jobs/\(job)", token: api.betaToken).status == .ok)

            let admin = try await api.send(.post, "/v1/tokens", object: ["admin": true, "name": "ops"])
            let adminSecret = try #require(admin.json["secret"] as? String)
            #expect(try await api.send(.get, "/v1/projects", token: adminSecret).ids.count >= 3)

            #expect(try await api.send(.post, "/v1/tokens", object: ["name": "x"]).errorParam == "project")
            #expect(try await api.send(.post, "/v1/tokens", object: ["project": "nope"]).status == .notFound)
            let listed = try await api.send(.get, "/v1/tokens")
            #expect(!listed.text.contains(secret) && !listed.text.contains(adminSecret))
        }
    }

    @Test("usage groups tokens and jobs by model, day and tag, with cost where a price is set")
    func usage() async throws {
        try await APIHarness.run { api in
            let first = try await api.createJob(token: api.alphaToken, extra: ["metadata": ["team": "red"]])
            let second = try await api.createJob(token: api.alphaToken, document: "Other words here.", extra: ["model": "openai.gpt-oss-20b"])
            for (id, input, output) in [(first, 1000, 200), (second, 500, 100)] {
                try await api.fixture.pool.query("""
                    WITH j AS (UPDATE jobs SET state = 'completed', finished_at = now() WHERE public_id = \(id) RETURNING id)
                    INSERT INTO results (job_id, output_text, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens)
                    SELECT id, 'summary', \(input), 0, \(output), 0, \(input + output) FROM j
                    """)
            }
            try await UsageStore(pool: api.fixture.pool).setPrice(ModelPrice(
                model: "openai.gpt-oss-120b", inputPerMillion: 1.0, cachedInputPerMillion: nil, outputPerMillion: 4.0, currency: "USD"))

            let byModel = try await api.send(.get, "/v1/usage?group_by=model", token: api.alphaToken)
            #expect(byModel.status == .ok, "\(byModel.text)")
            let big = try #require(byModel.data.first { $0["group"] as? String == "openai.gpt-oss-120b" })
            #expect(big["input_tokens"] as? Int == 1000)
            #expect(big["output_tokens"] as? Int == 200)
            let cost = try #require(big["cost"] as? Double)
            #expect(abs(cost - 0.0018) < 1e-9)
            let small = try #require(byModel.data.first { $0["group"] as? String == "openai.gpt-oss-20b" })
            #expect(small["cost"] == nil)

            // Any token reads the prices: the operator's, and those Longhaul ships with their source.
            let prices = try await api.send(.get, "/v1/prices", token: api.alphaToken)
            #expect(prices.status == .ok, "\(prices.text)")
            let set = try #require(prices.data.first { $0["model"] as? String == "openai.gpt-oss-120b" })
            #expect(set["source"] as? String == "operator" && set["output_per_million"] as? Double == 4.0 && set["service_tier"] as? String == "default")
            let shipped = try #require(prices.data.first { $0["model"] as? String == "anthropic.claude-sonnet-4-6" })
            #expect(shipped["cached_input_per_million"] as? Double == 0.3 && (shipped["source"] as? String)?.contains("pricing") == true)
            #expect(!prices.data.contains { $0["model"] as? String == "openai.gpt-oss-20b" })

            let byTag = try await api.send(.get, "/v1/usage?group_by=tag:team", token: api.alphaToken)
            #expect(Set(byTag.data.compactMap { $0["group"] as? String }) == ["red", "(none)"])
            let byDay = try await api.send(.get, "/v1/usage?group_by=day", token: api.alphaToken)
            #expect(byDay.data.count == 1)
            #expect(byDay.data.first?["jobs"] as? Int == 2)

            let bad = try await api.send(.get, "/v1/usage?group_by=colour", token: api.alphaToken)
            #expect(bad.status == .badRequest)
            #expect(bad.errorParam == "group_by")
            let future = try await api.send(.get, "/v1/usage?from=2999-01-01T00:00:00Z", token: api.alphaToken)
            #expect(future.data.allSatisfy { ($0["jobs"] as? Int ?? 0) == 0 })
        }
    }
}
