import Foundation
import Postgres
import Testing
import TestSupport

@Suite("longhaul webhooks and longhaul deliveries")
struct WebhookCommandTests {
    /// Runs `body` on a fresh database on the test server, with its URL for the binary and a pool
    /// for checks.
    private func withDatabase(_ name: String, _ body: (_ url: String, _ pool: PostgresPool) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase(named: name) { database in
            try await database.withPool(maxConnections: 2) { pool in try await body(database.url, pool) }
        }
    }

    private func run(_ arguments: [String], url: String, environment: [String: String] = [:]) async throws -> LonghaulRun {
        try await LonghaulProcess.run(arguments + ["--database-url", url], environment: environment)
    }

    @Test("add refuses an internal URL unless the allowlist admits it; list, rotate-secret, secret and remove work on what add made")
    func endpoints() async throws {
        try await withDatabase("cli_webhooks") { url, pool in
            // Migrates the database; `projects` needs the default project for --project default.
            #expect(try await run(["migrate"], url: url).exitCode == 0)
            try await pool.query("INSERT INTO projects (slug, default_model, webhook_secret) VALUES ('team', 'openai.gpt-oss-120b', 'whsec_AAAA')")

            let refused = try await run(["webhooks", "add", "--project", "team", "--url", "http://127.0.0.1:9/hook"], url: url)
            #expect(refused.exitCode != 0)
            #expect(refused.standardError.contains("loopback") && refused.standardError.contains("LONGHAUL_WEBHOOK_ALLOW_CIDRS"))

            let added = try await run(
                ["webhooks", "add", "--project", "team", "--url", "http://127.0.0.1:9/hook", "--events", "job.failed,batch.completed"], url: url,
                environment: ["LONGHAUL_WEBHOOK_ALLOW_CIDRS": "127.0.0.0/8"])
            #expect(added.exitCode == 0, "\(added.standardError)")
            let fields = Dictionary(uniqueKeysWithValues: added.standardOutput.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: ": ", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            })
            let endpoint = try #require(fields["endpoint"])
            let secret = try #require(fields["secret"])
            #expect(endpoint.hasPrefix("we_") && secret.hasPrefix("whsec_"))

            let listed = try await run(["webhooks", "list", "--project", "team", "--json"], url: url)
            #expect(listed.standardOutput.contains(endpoint) && listed.standardOutput.contains("job.failed"))
            #expect(!listed.standardOutput.contains(secret))

            let rotated = try await run(["webhooks", "rotate-secret", "--project", "team", "--endpoint", endpoint], url: url)
            #expect(rotated.exitCode == 0 && rotated.standardOutput.contains("previous secret signs too until"))
            let shown = try await run(["webhooks", "secret", "--project", "team", "--endpoint", endpoint], url: url)
            let secrets = shown.standardOutput.split(separator: "\n").map(String.init)
            #expect(secrets.count == 2 && secrets[1] == secret && secrets[0] != secret)

            #expect(try await run(["webhooks", "remove", "--project", "team", endpoint], url: url).exitCode == 0)
            #expect(try await run(["webhooks", "list", "--project", "team", "--json"], url: url).standardOutput.isEmpty)
            let unknown = try await run(["webhooks", "list", "--project", "nope"], url: url)
            #expect(unknown.exitCode != 0 && unknown.standardError.contains("known: team"))
        }
    }

    @Test("deliveries list, show, redeliver and resend --since act on the log")
    func deliveries() async throws {
        try await withDatabase("cli_deliveries") { url, pool in
            #expect(try await run(["migrate"], url: url).exitCode == 0)
            try await pool.query("""
                WITH p AS (INSERT INTO projects (slug, default_model, webhook_secret) VALUES ('team', 'm', 'whsec_AAAA') RETURNING id),
                d AS (
                    INSERT INTO deliveries (public_id, project_id, url, event_type, body, state, attempt, finished_at, last_status, created_at)
                    SELECT 'msg_' || n, p.id, 'https://hooks.example/x', 'job.completed', '{"type":"job.completed"}', 'failed', 8, now(), 500,
                           now() - make_interval(hours => n)
                    FROM p, generate_series(1, 3) n
                    RETURNING id, public_id
                )
                INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, http_status, response_body, error)
                SELECT id, 8, now(), 12, 500, 'nope', 'the receiver answered 500' FROM d
                """)
            let listed = try await run(["deliveries", "list", "--state", "failed"], url: url)
            #expect(listed.exitCode == 0 && listed.standardOutput.split(separator: "\n").count == 3)
            let shown = try await run(["deliveries", "show", "msg_1"], url: url)
            #expect(shown.standardOutput.contains("HTTP 500") && shown.standardOutput.contains("the receiver answered 500"))
            #expect(shown.standardOutput.contains(#"{"type":"job.completed"}"#))

            #expect(try await run(["deliveries", "redeliver", "msg_3"], url: url).exitCode == 0)
            let resent = try await run(["deliveries", "resend", "--since", "150m"], url: url)
            #expect(resent.standardOutput.hasPrefix("2 deliveries are pending again"), "\(resent.standardOutput)\(resent.standardError)")
            let pending = try await run(["deliveries", "list", "--state", "pending", "--json"], url: url)
            #expect(pending.standardOutput.split(separator: "\n").count == 3)
            let missing = try await run(["deliveries", "show", "msg_nope"], url: url)
            #expect(missing.exitCode != 0 && missing.standardError.contains("delivery msg_nope not found"))
        }
    }
}
