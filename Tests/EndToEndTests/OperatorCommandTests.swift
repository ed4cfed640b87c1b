import Foundation
import HTTPClient
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("longhaul projects, tokens, jobs and usage")
struct OperatorCommandTests {
    /// Runs `body` on a fresh migrated database, with its URL for the binary and a fixture for
    /// set-up and checks.
    private func withDatabase(_ name: String, _ body: (_ url: String, _ fixture: StoreFixture) async throws -> Void) async throws {
        try await StoreFixture.with(name, maxConnections: 2) { fixture in try await body(fixture.databaseURL, fixture) }
    }

    private func run(_ arguments: [String], url: String, environment: [String: String] = [:]) async throws -> LonghaulRun {
        try await LonghaulProcess.run(arguments + ["--database-url", url], environment: environment)
    }

    /// Runs a command that must succeed and returns its standard output.
    private func output(_ arguments: [String], url: String, environment: [String: String] = [:]) async throws -> String {
        let result = try await run(arguments, url: url, environment: environment)
        #expect(result.exitCode == 0, "longhaul \(arguments.joined(separator: " ")): \(result.standardError)")
        return result.standardOutput
    }

    /// Runs a command with `--json` and parses what it printed.
    private func json(_ arguments: [String], url: String) async throws -> Any {
        let text = try await output(arguments + ["--json"], url: url)
        #expect(text.split(separator: "\n").count == 1, "--json printed more than one document: \(text)")
        return try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test("projects add, list, show, update and archive, as tables and as JSON")
    func projects() async throws {
        try await withDatabase("cli_projects") { url, fixture in
            let added = try await output(
                ["projects", "add", "team-a", "--region", "us-east-1", "--model", "openai.gpt-oss-20b", "--max-in-flight", "20",
                 "--tokens-per-minute", "90000", "--credential", "env:TEAM_A_KEY", "--tag", "CostCenter=42", "--tag", "team=search"], url: url)
            #expect(added.contains("region us-east-1") && added.contains("CostCenter=42,team=search"))
            _ = try await output(["projects", "add", "team-b"], url: url)

            let table = try await output(["projects", "list"], url: url).split(separator: "\n")
            #expect(table.count == 3 && table[0].hasPrefix("PROJECT") && table[1].hasPrefix("team-a ") && table[2].hasPrefix("team-b "))
            // Columns line up: every row starts its MODEL cell where the header does.
            let modelColumn = try #require(table[0].range(of: "MODEL")).lowerBound.utf16Offset(in: table[0])
            #expect(table[1].dropFirst(modelColumn).hasPrefix("openai.gpt-oss-20b"))

            let listed = try #require(try await json(["projects", "list"], url: url) as? [[String: Any]])
            #expect(listed.count == 2)
            #expect(listed[0]["slug"] as? String == "team-a" && listed[0]["max_in_flight"] as? Int == 20)
            #expect(listed[0]["tokens_per_minute"] as? Int == 90000 && listed[0]["credential_reference"] as? String == "env:TEAM_A_KEY")
            // Tag keys are data, not field names: they keep their spelling.
            #expect((listed[0]["tags"] as? [String: String]) == ["CostCenter": "42", "team": "search"])
            #expect(listed[0]["created_at"] as? String != nil && listed[0]["archived_at"] == nil)

            let updated = try #require(try await json(
                ["projects", "update", "team-a", "--no-tokens-per-minute", "--max-attempts", "9", "--tag", "team=", "--tag", "tier=gold"],
                url: url) as? [String: Any])
            #expect(updated["tokens_per_minute"] == nil && updated["max_attempts"] as? Int == 9)
            #expect((updated["tags"] as? [String: String]) == ["CostCenter": "42", "tier": "gold"])
            let shown = try await output(["projects", "show", "team-a"], url: url)
            #expect(shown.contains("tokens per minute:") && shown.contains("unlimited") && shown.contains("max attempts:"))

            #expect(try await output(["projects", "archive", "team-b"], url: url).hasPrefix("archived team-b at "))
            #expect(try await output(["projects", "list"], url: url).split(separator: "\n").count == 2)
            let all = try await output(["projects", "list", "--all"], url: url)
            #expect(all.contains("archived"))

            let invalid = try await run(["projects", "update", "team-a", "--max-in-flight", "0"], url: url)
            #expect(invalid.exitCode != 0 && invalid.standardError.contains("max_in_flight must be between 1 and"))
            #expect(invalid.standardError.split(separator: "\n").filter { !$0.hasPrefix("longhaul:") }.count == 1, "\(invalid.standardError)")
            let taken = try await run(["projects", "add", "team-a"], url: url)
            #expect(taken.exitCode != 0 && taken.standardError.contains("a project named 'team-a' already exists"))
            let unknown = try await run(["projects", "show", "nope"], url: url)
            #expect(unknown.exitCode != 0 && unknown.standardError.contains("there is no project 'nope'"))
            let both = try await run(["projects", "add", "x", "--region", "us-east-1", "--base-url", "http://127.0.0.1:1"], url: url)
            #expect(both.exitCode != 0 && both.standardError.contains("--region or --base-url, not both"))
        }
    }

    @Test("projects pause holds a project with its reason until resume; the retry window reads and prints in hours")
    func pauseAndResume() async throws {
        try await withDatabase("cli_pause") { url, fixture in
            let added = try await output(["projects", "add", "team-c", "--retry-window", "6h"], url: url)
            #expect(added.contains("retry window:") && added.contains("6h"), "\(added)")
            let paused = try await output(["projects", "pause", "team-c", "--reason", "key rotation at 14:00"], url: url)
            #expect(paused.contains("paused by an operator: key rotation at 14:00") && paused.contains("when resumed"), "\(paused)")
            #expect(try await output(["projects", "list"], url: url).contains("paused"))
            let held = try #require(try await json(["projects", "show", "team-c"], url: url) as? [String: Any])
            let hold = try #require(held["hold"] as? [String: Any])
            #expect(hold["kind"] as? String == "paused_by_operator" && held["retry_window_seconds"] as? Int == 21_600)
            let resumed = try await output(["projects", "resume", "team-c"], url: url)
            #expect(resumed.contains("status:") && resumed.contains("active") && !resumed.contains("paused"), "\(resumed)")
            let wrong = try await run(["projects", "update", "team-c", "--retry-window", "10s"], url: url)
            #expect(wrong.exitCode != 0 && wrong.standardError.contains("between 60 seconds and 30 days"), "\(wrong.standardError)")
        }
    }

    @Test("tokens create prints the secret once; list never shows it; revoke stops it")
    func tokens() async throws {
        try await withDatabase("cli_tokens") { url, fixture in
            _ = try await fixture.project("team-a")
            let created = try await output(["tokens", "create", "--project", "team-a", "--name", "ci"], url: url)
            #expect(created.contains("will not be shown again"))
            let secret = try #require(created.split(separator: "\n").first { $0.hasPrefix("secret:") }?.split(separator: " ").last.map(String.init))
            let tokenID = try #require(created.split(separator: "\n").first { $0.hasPrefix("token:") }?.split(separator: " ").last.map(String.init))
            #expect(secret.hasPrefix("lh_") && tokenID.hasPrefix("tok_"))
            let tokens = TokenStore(pool: fixture.pool)
            #expect(try await tokens.authenticate(secret: secret)?.projectID != nil)

            let admin = try #require(try await json(["tokens", "create", "--admin"], url: url) as? [String: Any])
            let adminSecret = try #require(admin["secret"] as? String)
            #expect((admin["token"] as? [String: Any])?["public_id"] as? String != nil)
            #expect(try await tokens.authenticate(secret: adminSecret) == .admin)

            let table = try await output(["tokens", "list"], url: url)
            #expect(table.hasPrefix("TOKEN") && table.contains(tokenID) && table.contains("(admin)"))
            let listed = try #require(try await json(["tokens", "list", "--project", "team-a"], url: url) as? [[String: Any]])
            #expect(listed.count == 1 && listed[0]["public_id"] as? String == tokenID && listed[0]["name"] as? String == "ci")
            for text in [table, try await output(["tokens", "list", "--json"], url: url)] {
                #expect(!text.contains(secret) && !text.contains(adminSecret))
            }

            #expect(try await output(["tokens", "revoke", tokenID], url: url).hasPrefix("revoked \(tokenID) (ci) at "))
            #expect(try await tokens.authenticate(secret: secret) == nil)
            #expect(try await output(["tokens", "list"], url: url).contains("revoked "))

            let neither = try await run(["tokens", "create"], url: url)
            #expect(neither.exitCode != 0 && neither.standardError.contains("--project NAME or --admin"))
            let missing = try await run(["tokens", "revoke", "tok_nope"], url: url)
            #expect(missing.exitCode != 0 && missing.standardError.contains("token tok_nope not found"))
        }
    }

    @Test("jobs list pages and filters; show prints the result and usage; cancel and retry act")
    func jobs() async throws {
        try await withDatabase("cli_jobs") { url, fixture in
            let project = try await fixture.project("team-a")
            let jobs = try await fixture.store.enqueue([
                fixture.validated(JobRequest(document: "One.", metadata: ["customer": "acme"])),
                fixture.validated(JobRequest(document: "Two.")),
                fixture.validated(JobRequest(document: "Three.")),
            ], project: project)
            try await fixture.pool.query("""
                UPDATE jobs SET state = 'failed', finished_at = now(), submitted_at = now(), response_id = 'resp_1' WHERE id = \(jobs[1].id)
                """)
            try await fixture.pool.query("""
                INSERT INTO results (job_id, output_text, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, error_code, error_message)
                VALUES (\(jobs[1].id), 'Partial summary.', 120, 20, 40, 5, 160, 'server_error', 'Mantle failed')
                """)

            let table = try await run(["jobs", "list", "--limit", "2"], url: url)
            let lines = table.standardOutput.split(separator: "\n")
            #expect(lines.count == 3 && lines[0].hasPrefix("JOB") && lines[1].hasPrefix(jobs[2].publicID))
            let cursor = try #require(table.standardError.components(separatedBy: "--cursor ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
            let rest = try #require(try await json(["jobs", "list", "--limit", "2", "--cursor", cursor], url: url) as? [String: Any])
            #expect((rest["jobs"] as? [[String: Any]])?.map { $0["public_id"] as? String } == [jobs[0].publicID])
            #expect(rest["next_cursor"] == nil)

            let failed = try #require(try await json(["jobs", "list", "--state", "failed"], url: url) as? [String: Any])
            #expect((failed["jobs"] as? [[String: Any]])?.count == 1)
            let acme = try #require(try await json(["jobs", "list", "--metadata", "customer=acme", "--project", "team-a"], url: url) as? [String: Any])
            #expect((acme["jobs"] as? [[String: Any]])?.first?["public_id"] as? String == jobs[0].publicID)
            let future = try #require(try await json(["jobs", "list", "--since", "2999-01-01"], url: url) as? [String: Any])
            #expect((future["jobs"] as? [Any])?.isEmpty == true)

            let shown = try await output(["jobs", "show", jobs[1].publicID], url: url)
            #expect(shown.contains("state:") && shown.contains("failed") && shown.contains("input 120 (cached 20), output 40 (reasoning 5), total 160"))
            #expect(shown.contains("server_error: Mantle failed") && shown.hasSuffix("--- output ---\nPartial summary.\n"))
            let detail = try #require(try await json(["jobs", "show", jobs[1].publicID], url: url) as? [String: Any])
            #expect((detail["usage"] as? [String: Any])?["cached_tokens"] as? Int == 20 && detail["output_text"] as? String == "Partial summary.")

            let retried = try #require(try await json(["jobs", "retry", jobs[1].publicID], url: url) as? [String: Any])
            #expect(retried["state"] as? String == "queued")
            #expect(try await output(["jobs", "cancel", jobs[0].publicID], url: url) == "\(jobs[0].publicID) is cancelled\n")
            let again = try #require(try await json(["jobs", "cancel", jobs[0].publicID], url: url) as? [String: Any])
            #expect(again["outcome"] as? String == "already_finished" && again["state"] as? String == "cancelled")

            let notRetryable = try await run(["jobs", "retry", jobs[0].publicID], url: url)
            #expect(notRetryable.exitCode != 0 && notRetryable.standardError.contains("only failed or incomplete jobs can be retried"))
            let badDate = try await run(["jobs", "list", "--since", "yesterday"], url: url)
            #expect(badDate.exitCode != 0 && badDate.standardError.contains("--since 'yesterday' is not an ISO 8601 date"))
            let badState = try await run(["jobs", "list", "--state", "done"], url: url)
            #expect(badState.exitCode != 0)
            let missing = try await run(["jobs", "show", "job_nope"], url: url)
            #expect(missing.exitCode != 0 && missing.standardError.contains("job job_nope not found"))
        }
    }

    @Test("usage reports by model and tag with cost from the prices set")
    func usage() async throws {
        try await withDatabase("cli_usage") { url, fixture in
            let project = try await fixture.projects.create(NewProject(slug: "team-a", tags: ["customer": "internal"]))
            let jobs = try await fixture.store.enqueue([fixture.validated(JobRequest(document: "One.", model: "m1"))], project: project)
            try await fixture.pool.query("""
                UPDATE jobs SET state = 'completed', finished_at = '2026-03-01T10:00:00Z', submitted_at = now(), response_id = 'r' WHERE id = \(jobs[0].id)
                """)
            try await fixture.pool.query("""
                INSERT INTO results (job_id, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens)
                VALUES (\(jobs[0].id), 1000000, 0, 500000, 100000, 1500000)
                """)

            #expect(try await output(["usage", "prices", "set", "m1", "--input", "0.15", "--output", "0.6"], url: url).hasPrefix("m1: input 0.15"))
            let prices = try #require(try await json(["usage", "prices", "list"], url: url) as? [[String: Any]])
            let m1 = try #require(prices.first { $0["model"] as? String == "m1" })
            #expect(m1["input_per_million"] as? Double == 0.15 && m1["currency"] as? String == "USD" && m1["source"] as? String == "operator")
            let shipped = try #require(prices.first { $0["model"] as? String == "openai.gpt-5.4" })
            #expect((shipped["source"] as? String)?.contains("STATIC_FALLBACK") == true)
            let listed = try await output(["usage", "prices", "list"], url: url)
            #expect(listed.hasPrefix("MODEL") && listed.split(separator: "\n")[0].hasSuffix("SOURCE"))

            // An override of a shipped price, deleted: the shipped price applies again.
            _ = try await output(["usage", "prices", "set", "openai.gpt-5.4", "--input", "1", "--output", "2"], url: url)
            let deleted = try await output(["usage", "prices", "delete", "openai.gpt-5.4"], url: url)
            #expect(deleted.contains("the shipped price applies") && deleted.contains("input 2.75"), "\(deleted)")
            let again = try await run(["usage", "prices", "delete", "openai.gpt-5.4"], url: url)
            #expect(again.exitCode != 0 && again.standardError.contains("no price of openai.gpt-5.4 on default was set"))

            let table = try await output(["usage", "--from", "2026-03-01", "--to", "2026-03-02T00:00:00Z"], url: url)
            let lines = table.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].hasPrefix("MODEL") && lines[1].hasPrefix("m1") && lines[1].hasSuffix("0.4500 USD"))
            let rows = try #require(try await json(["usage", "--group-by", "tag:customer"], url: url) as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["group"] as? String == "internal" && rows[0]["input_tokens"] as? Int == 1_000_000)
            #expect(abs((rows[0]["cost"] as? Double ?? 0) - 0.45) < 1e-9)
            let outside = try await output(["usage", "--from", "2026-04-01"], url: url)
            #expect(outside.split(separator: "\n").count == 1)

            let bad = try await run(["usage", "--group-by", "week"], url: url)
            #expect(bad.exitCode != 0 && bad.standardError.contains("use model, day or tag:KEY"))
            let badCurrency = try await run(["usage", "prices", "set", "m1", "--input", "1", "--output", "1", "--currency", "dollars"], url: url)
            #expect(badCurrency.exitCode != 0 && badCurrency.standardError.contains("three-letter ISO 4217 code"))
        }
    }

    @Test("projects add --create-mantle-project creates the project in Mantle and records its id")
    func createMantleProject() async throws {
        try await withDatabase("cli_mantle_project") { url, fixture in
            try await SimulatorProcess.with([]) { simulator in
                let added = try #require(try await json(
                    ["projects", "add", "team-a", "--base-url", simulator.baseURL, "--tag", "team=search", "--create-mantle-project"], url: url)
                    as? [String: Any])
                let mantleID = try #require(added["mantle_project_id"] as? String)
                #expect(mantleID.hasPrefix("proj_"))
                #expect(try await fixture.projects.get(slug: "team-a").mantleProjectID == mantleID)

                let response = try await simulator.http.send(HTTPRequest(
                    url: simulator.baseURL + "/organization/projects/" + mantleID, headers: ["Authorization": "Bearer any"], timeout: .seconds(30)))
                let remote = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
                #expect(response.status == 200 && remote?["name"] as? String == "team-a")
                #expect((remote?["tags"] as? [String: String]) == ["team": "search"])

                let again = try await run(["projects", "update", "team-a", "--create-mantle-project"], url: url)
                #expect(again.exitCode != 0 && again.standardError.contains("already has the Mantle project \(mantleID)"))
                let nowhere = try await run(["projects", "add", "team-b", "--create-mantle-project"], url: url, environment: ["OPENAI_BASE_URL": ""])
                #expect(nowhere.exitCode != 0 && nowhere.standardError.contains("--create-mantle-project"))
            }
        }
    }
}

extension OperatorCommandTests {
    @Test("projects budget set, show and clear; batches cancel and results")
    func budgetsAndBatches() async throws {
        try await withDatabase("cli_budgets") { url, fixture in
            let project = try await fixture.project("team-b")
            let set = try await output(["projects", "budget", "set", "team-b", "--period", "month", "--max-tokens", "5000"], url: url)
            #expect(set.contains("month") && set.contains("5000 tokens"), "\(set)")
            let shown = try #require(try await json(["projects", "budget", "show", "team-b"], url: url) as? [[String: Any]])
            #expect(shown.first?["period"] as? String == "month" && shown.first?["max_tokens"] as? Int == 5000, "\(shown)")
            let refused = try await run(["projects", "budget", "set", "team-b", "--period", "week", "--max-tokens", "1"], url: url)
            #expect(refused.exitCode == 64 && refused.standardError.contains("--period must be day, month or total"))
            #expect(try await output(["projects", "budget", "clear", "team-b", "--period", "month"], url: url).contains("removed"))

            let (batch, _) = try await fixture.batches.enqueueBatch(
                try (0..<2).map { try fixture.validated(JobRequest(document: "Note \($0).", sourcePath: "n\($0)")) }, project: project,
                name: "notes", source: nil, webhookURL: nil)
            #expect(try await output(["batches", "cancel", batch.publicID], url: url).contains("2 cancelled"))
            let lines = try await output(["batches", "results", batch.publicID], url: url).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(lines.map { $0["custom_id"] as? String } == ["n0", "n1"] && lines.allSatisfy { $0["state"] as? String == "cancelled" })
        }
    }
}

extension OperatorCommandTests {
    @Test("projects limits set, show and clear: the project's own window for a model, beside the table's")
    func modelLimits() async throws {
        try await withDatabase("cli_model_limits") { url, fixture in
            _ = try await fixture.project("team-c")
            let set = try await output(
                ["projects", "limits", "set", "team-c", "--model", "openai.gpt-oss-120b", "--context-window", "32000"], url: url)
            #expect(set.contains("openai.gpt-oss-120b") && set.contains("32000") && set.contains("131072"), "\(set)")
            let shown = try #require(try await json(["projects", "limits", "show", "team-c"], url: url) as? [[String: Any]])
            #expect(shown.first?["model"] as? String == "openai.gpt-oss-120b" && shown.first?["context_window"] as? Int == 32_000, "\(shown)")
            let refused = try await run(
                ["projects", "limits", "set", "team-c", "--model", "openai.gpt-oss-120b", "--context-window", "100"], url: url)
            #expect(refused.exitCode != 0 && refused.standardError.contains("context_window is 100"), "\(refused.standardError)")
            #expect(try await output(["projects", "limits", "clear", "team-c", "--model", "openai.gpt-oss-120b"], url: url).contains("removed"))
            #expect(try await output(["projects", "limits", "show", "team-c"], url: url).contains("uses the model table's windows"))
        }
    }
}
