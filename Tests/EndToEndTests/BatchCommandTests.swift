import Foundation
import MantleSimulator
import Testing
import TestSupport

/// `longhaul batch DIR` from the built binary, on real folders, against a fresh database on the
/// test server and a real simulator (in-process, or a standalone `longhaul sim`).
@Suite("longhaul batch")
struct BatchCommandTests {
    static let documents: [String: String] = [
        "notes.txt": """
            The lighthouse stood on the northern cliff for two hundred years. Ships used it to find the harbour in winter storms. \
            The keeper lit the lamp every evening at sunset. In 1990 the lamp was replaced by an automatic light.
            """,
        "guide.md": "# Harbour guide\n\nThe harbour has two piers. Fishing boats use the east pier; ferries use the west pier.\n",
        "page.html": "<html><head><title>Museum</title><script>var x = 1;</script></head><body><h1>Museum</h1><p>The museum opens every day in summer.</p></body></html>",
        "data.json": #"{"title": "Tides", "body": "High tide comes twice a day. The harbour closes in storms."}"#,
        "table.csv": "month,visitors\nJune,1200\nJuly,2400\nAugust,2600\n",
        "sub/deep.txt": "A file in a subfolder. Subfolders are read too.",
    ]

    /// The bad files and the reason each must be reported with.
    static let refusals: [String: String] = [
        "empty.txt": "empty file",
        "binary.txt": "binary file (NUL byte at offset 4)",
        "latin1.txt": "not valid UTF-8 at byte 3 and no BOM",
        "sheet.xlsx": "unsupported file type .xlsx",
        "loop": "symlink loop",
        "self.txt": "symlink loop",
    ]

    static func makeMixedFolder() throws -> (root: TemporaryFolder, folder: String) {
        let root = try TemporaryFolder(prefix: "longhaul-batch")
        for (path, text) in documents { try root.write("docs/" + path, text) }
        try root.write("docs/empty.txt", bytes: [])
        try root.write("docs/binary.txt", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF])
        try root.write("docs/latin1.txt", bytes: Array("caf".utf8) + [0xE9] + Array(" au lait".utf8))
        try root.write("docs/sheet.xlsx", bytes: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])
        try root.link("docs/loop", to: ".")
        try root.link("docs/self.txt", to: "self.txt")
        return (root, root.path + "/docs")
    }

    @Test("a folder of good and bad files: every bad one reported with its reason, the rest summarised, exit 0")
    func mixedFolder() async throws {
        try await StoreFixture.with("batch_mixed") { fixture in
            let (root, folder) = try Self.makeMixedFolder()
            let run = try await BatchRunner.inProcessSimulator(database: fixture.databaseURL).run([folder])
            #expect(run.exitCode == 0, "\(run.log)")
            let total = Self.documents.count + Self.refusals.count
            #expect(run.standardError.contains("found \(total) files in \(folder): \(Self.documents.count) to summarise, \(Self.refusals.count) skipped"), "\(run.log)")

            // The table: a line per file; each bad one with its state and reason.
            let lines = run.standardOutput.split(separator: "\n").map(String.init)
            for (path, reason) in Self.refusals {
                let line = lines.first { $0.hasPrefix(path + " ") }
                #expect(line?.contains("skipped") == true && line?.contains(reason) == true, "no table line for \(path) with '\(reason)':\n\(run.log)")
                #expect(run.standardOutput.contains("  \(path): skipped — \(reason)"), "\(path) not listed as not summarised:\n\(run.log)")
            }
            for path in Self.documents.keys {
                #expect(lines.contains { $0.hasPrefix(path + " ") && $0.contains("completed") }, "\(path) not completed:\n\(run.log)")
            }
            #expect(run.standardOutput.contains("\(total) files: \(Self.documents.count) completed, \(Self.refusals.count) skipped"), "\(run.log)")
            #expect(run.standardOutput.contains("Summaries in \(folder).summaries/"))

            // One summary per good document, with its header; none for the bad ones.
            for path in Self.documents.keys {
                let summary = try #require(root.read("docs.summaries/\(path).summary.md"), "no summary for \(path)")
                #expect(summary.hasPrefix("---\nsource: \(path)\nmodel: openai.gpt-oss-120b\nstate: completed\njob: job_"), "\(summary)")
                #expect(summary.contains("\ntokens: "), "\(summary)")
                let body = try #require(summary.components(separatedBy: "\n---\n\n").last)
                #expect(!body.contains("_(no text)_") && body.count > 10, "\(path): empty summary")
            }
            for path in Self.refusals.keys {
                #expect(!root.exists("docs.summaries/\(path).summary.md"), "a summary was written for the refused \(path)")
            }
            // Nothing else: each summary was written beside its name and renamed over it.
            let summaries = root.url("docs.summaries").path
            let written = try FileManager.default.subpathsOfDirectory(atPath: summaries).filter {
                try FileManager.default.attributesOfItem(atPath: summaries + "/" + $0)[.type] as? FileAttributeType == .typeRegular
            }
            #expect(Set(written) == Set(Self.documents.keys.map { $0 + ".summary.md" } + ["manifest.jsonl"]), "\(written.sorted())")

            // The manifest: one line per file, sorted by path, with the right fields.
            let manifest = try BatchManifest(contentsOf: root.url("docs.summaries/manifest.jsonl"))
            #expect(manifest.paths == (Array(Self.documents.keys) + Array(Self.refusals.keys)).sorted())
            for (path, text) in Self.documents {
                let line = try #require(manifest[path])
                #expect(line["state"] as? String == "completed")
                #expect((line["job_id"] as? String)?.hasPrefix("job_") == true)
                #expect(line["model"] as? String == "openai.gpt-oss-120b")
                #expect(line["attempts"] as? Int == 1)
                #expect((line["response_id"] as? String)?.hasPrefix("resp_") == true, "\(line)")
                #expect(line["summary"] as? String == path + ".summary.md")
                #expect(line["bytes"] as? Int == text.utf8.count)
                #expect((line["sha256"] as? String)?.count == 64)
                let usage = try #require(line["usage"] as? [String: Any])
                #expect((usage["input_tokens"] as? Int ?? 0) > 0 && (usage["output_tokens"] as? Int ?? 0) > 0, "\(usage)")
                #expect(line["error"] == nil)
            }
            #expect(manifest["page.html"]?["format"] as? String == "html")
            #expect(manifest["data.json"]?["format"] as? String == "json")
            for (path, reason) in Self.refusals {
                let line = try #require(manifest[path])
                #expect(line["state"] as? String == "skipped")
                #expect(line["job_id"] == nil)
                let error = try #require(line["error"] as? [String: Any])
                #expect(error["code"] as? String == "skipped" && error["message"] as? String == reason, "\(line)")
            }
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'completed'") == Self.documents.count)
        }
    }

    @Test("documents that fail are listed and the exit status is 1; --retry-failed runs only them again")
    func failuresExitOne() async throws {
        try await StoreFixture.with("batch_failures") { fixture in
            // One attempt per job, so that the failures are final at once.
            _ = try await fixture.project("strict", maxAttempts: 1)
            let root = try TemporaryFolder(prefix: "longhaul-batch")
            try root.write("docs/a.txt", "The first document. It has two sentences.")
            try root.write("docs/b.md", "# Second\n\nThe second document, in Markdown.")
            let folder = root.path + "/docs"

            let (run, counters) = try await BatchRunner.runStandalone(
                [folder, "--project", "strict"], simulator: ["--speed", "50", "--fault-create-failed", "1.0"], database: fixture.databaseURL)
            #expect(run.exitCode == 1, "\(run.log)")
            #expect(run.standardOutput.contains("Not summarised:"), "\(run.log)")
            for path in ["a.txt", "b.md"] {
                #expect(run.standardOutput.contains("  \(path): failed — server_error"), "\(path) not listed as failed:\n\(run.log)")
                let summary = root.read("docs.summaries/\(path).summary.md") ?? ""
                #expect(summary.contains("state: failed") && summary.contains("error: server_error"), "\(summary)")
            }
            let manifest = try BatchManifest(contentsOf: root.url("docs.summaries/manifest.jsonl"))
            for line in manifest.lines {
                #expect(line["state"] as? String == "failed")
                #expect((line["error"] as? [String: Any])?["code"] as? String == "server_error", "\(line)")
            }
            #expect(counters.responsesCreated == 2 && counters.duplicateAttempts.isEmpty, "\(counters.createsByJob)")

            // Against a healthy endpoint, --retry-failed puts the failed documents back on the
            // queue, and leaves a document added since alone.
            try root.write("docs/c.txt", "A third document, added after the first run.")
            let (again, retried) = try await BatchRunner.runStandalone(
                [folder, "--project", "strict", "--retry-failed"], simulator: ["--speed", "50"], database: fixture.databaseURL)
            #expect(again.standardError.contains("2 documents enqueued (2 from an earlier run"), "\(again.log)")
            #expect(retried.responsesCreated == 2 && retried.duplicateAttempts.isEmpty, "\(retried.createsByJob)")
            for attempts in retried.createsByJob.values { #expect(attempts == ["2": 1]) }
            let after = try BatchManifest(contentsOf: root.url("docs.summaries/manifest.jsonl"))
            #expect(["a.txt", "b.md"].allSatisfy { after[$0]?["state"] as? String == "completed" && after[$0]?["error"] == nil })
            let added = try #require(after["c.txt"]?["error"] as? [String: Any])
            #expect((added["message"] as? String)?.contains("--retry-failed enqueues nothing new") == true, "\(added)")
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == 2)
        }
    }

    @Test("a summary cut short by --max-output-tokens is incomplete: kept, listed, exit 1")
    func incompleteExitOne() async throws {
        try await StoreFixture.with("batch_incomplete") { fixture in
            let root = try TemporaryFolder(prefix: "longhaul-batch")
            try root.write("docs/long.txt", String(repeating: "The harbour is busy in summer and quiet in winter. ", count: 40))
            let run = try await BatchRunner.inProcessSimulator(database: fixture.databaseURL).run([root.path + "/docs", "--max-output-tokens", "16"])
            #expect(run.exitCode == 1, "\(run.log)")
            #expect(run.standardOutput.contains("  long.txt: incomplete — incomplete (max_output_tokens); partial text kept"), "\(run.log)")
            let summary = root.read("docs.summaries/long.txt.summary.md") ?? ""
            #expect(summary.contains("state: incomplete") && summary.contains("incomplete: max_output_tokens"), "\(summary)")
            let line = try BatchManifest(contentsOf: root.url("docs.summaries/manifest.jsonl"))["long.txt"]
            #expect(line?["state"] as? String == "incomplete" && line?["incomplete_reason"] as? String == "max_output_tokens")
        }
    }

    @Test("a folder of several chunks, read and enqueued at once: every readable file once, in one batch; run again, all found")
    func severalChunks() async throws {
        try await StoreFixture.with("batch_chunks") { fixture in
            let root = try TemporaryFolder(prefix: "longhaul-batch-chunks")
            // 1,234 files: two full chunks of 500 readable documents and a part, with an empty
            // (unreadable) file every 100 so skips fall inside chunks and across their edges.
            let files = 1_234
            for n in 0..<files {
                try root.write("docs/\(String(format: "%05d", n)).txt", n % 100 == 99 ? "" : "Document \(n). The harbour has \(n) boats.")
            }
            let readable = files - files / 100
            let runner = BatchRunner.inProcessSimulator(database: fixture.databaseURL)

            let first = try await runner.run([root.path + "/docs", "--no-wait"], timeout: .seconds(120))
            #expect(first.exitCode == 0, "\(first.log)")
            #expect(first.standardError.contains("found \(files) files in \(root.path)/docs: \(readable) to summarise, \(files / 100) skipped"), "\(first.log)")
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == readable)
            #expect(try await fixture.count("SELECT count(DISTINCT source_path) FROM jobs") == readable)
            #expect(try await fixture.count("SELECT count(DISTINCT batch_id) FROM jobs") == 1)

            let again = try await runner.run([root.path + "/docs", "--no-wait", "--json"], timeout: .seconds(120))
            #expect(again.exitCode == 0, "\(again.log)")
            #expect(again.standardOutput.contains(#""resumed":\#(readable)"#), "\(again.log)")
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == readable)
        }
    }

    @Test("--budget caps the folder's batch; a rerun with another --budget changes it, and `batches budget` shows and clears it")
    func budget() async throws {
        try await StoreFixture.with("batch_budget_cli") { fixture in
            let (root, folder) = try Self.makeMixedFolder()
            let runner = BatchRunner.inProcessSimulator(database: fixture.databaseURL)
            let enqueued = try await runner.run([folder, "--no-wait", "--budget", "5.00"])
            #expect(root.exists("docs"))
            #expect(enqueued.exitCode == 0, "\(enqueued.log)")
            #expect(try await fixture.strings("SELECT budget_max_cost::text FROM batches") == ["5.000000"])
            let again = try await runner.run([folder, "--no-wait", "--budget", "6", "--budget-tokens", "900000"])
            #expect(again.exitCode == 0, "\(again.log)")
            #expect(try await fixture.strings("SELECT budget_max_cost::text || ' ' || budget_max_tokens FROM batches") == ["6.000000 900000"])

            let batch = try #require(try await fixture.strings("SELECT public_id FROM batches").first)
            let shown = try await LonghaulProcess.run(["batches", "budget", batch], environment: runner.environment, unsetting: runner.unsetting)
            #expect(shown.exitCode == 0 && shown.standardOutput.contains("$0.00 spent and $0.00 reserved of $6.00"), "\(shown.log)")
            #expect(shown.standardOutput.contains("0 tokens spent and 0 reserved of 900000"), "\(shown.log)")
            let cleared = try await LonghaulProcess.run(
                ["batches", "budget", batch, "--clear"], environment: runner.environment, unsetting: runner.unsetting)
            #expect(cleared.exitCode == 0 && cleared.standardOutput.contains("has no cap"), "\(cleared.log)")
            let bad = try await runner.run([folder, "--budget=-1"])
            #expect(bad.exitCode != 0 && bad.standardError.contains("--budget must be an amount of 0 or more"), "\(bad.log)")
        }
    }

    @Test("--no-wait --deadline 2h enqueues with deadlines and exits 0; the same command with --json then does the work, one JSON object per line")
    func noWaitThenJSON() async throws {
        try await StoreFixture.with("batch_json") { fixture in
            let (root, folder) = try Self.makeMixedFolder()
            let runner = BatchRunner.inProcessSimulator(database: fixture.databaseURL)

            let enqueued = try await runner.run([folder, "--no-wait", "--deadline", "2h"])
            #expect(enqueued.exitCode == 0, "\(enqueued.log)")
            #expect(
                try await fixture.count(
                    "SELECT count(*) FROM jobs WHERE deadline BETWEEN now() + interval '119 minutes' AND now() + interval '121 minutes'")
                    == Self.documents.count)
            #expect(enqueued.standardError.contains("\(Self.documents.count) documents enqueued"), "\(enqueued.log)")
            #expect(enqueued.standardError.contains("run `longhaul work`"), "\(enqueued.log)")
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'queued'") == Self.documents.count)
            #expect(!root.exists("docs.summaries"), "--no-wait wrote outputs")

            let run = try await runner.run([folder, "--json"])
            #expect(run.exitCode == 0, "\(run.log)")
            var events: [[String: Any]] = []
            for line in run.standardOutput.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                try #require(object != nil, "not a JSON object: \(line)")
                events.append(object ?? [:])
            }
            let names = events.compactMap { $0["event"] as? String }
            #expect(names.count == events.count, "a line without an event: \(run.standardOutput)")
            #expect(names.first == "note" && names.last == "finished", "\(names)")
            let enqueuedEvent = try #require(events.first { $0["event"] as? String == "enqueued" })
            #expect(enqueuedEvent["jobs"] as? Int == Self.documents.count && enqueuedEvent["resumed"] as? Int == Self.documents.count)
            let progress = try #require(events.last { $0["event"] as? String == "progress" }, "no progress event: \(run.standardOutput)")
            #expect(progress["done"] as? Int == Self.documents.count && progress["total"] as? Int == Self.documents.count)
            let finished = try #require(events.last)
            #expect((finished["counts"] as? [String: Int]) == ["completed": Self.documents.count, "skipped": Self.refusals.count])
            #expect(Set(finished["not_completed"] as? [String] ?? []) == Set(Self.refusals.keys))
            #expect(finished["manifest"] as? String == folder + ".summaries/manifest.jsonl")
            #expect((finished["input_tokens"] as? Int ?? 0) > 0)
        }
    }
}
