import Foundation
import TestSupport
import Testing

/// `longhaul batch --model M` for models without background mode (Claude on Anthropic Messages,
/// a chat-only family on Chat Completions): the built binary, its in-process simulator and a
/// fresh database, from `--no-wait` to the summaries.
@Suite("longhaul batch on held-stream models")
struct BatchHeldStreamTests {
    static let documents: [String: String] = [
        "notes.txt": "The lighthouse stood on the northern cliff for two hundred years. The keeper lit the lamp at sunset.",
        "guide.md": "# Harbour guide\n\nThe harbour has two piers. Fishing boats use the east pier; ferries use the west pier.\n",
        "sub/deep.txt": "A file in a subfolder. High tide comes twice a day and the harbour closes in storms.",
    ]

    @Test(
        "--no-wait enqueues for the model; the same command then summarises every document, exit 0",
        arguments: [
            "anthropic.claude-opus-4-7", "qwen.qwen3-32b",
        ])
    func noWaitThenRun(model: String) async throws {
        try await StoreFixture.with("batch_held") { fixture in
            let root = try TemporaryFolder(prefix: "longhaul-batch")
            for (path, text) in Self.documents { try root.write("docs/" + path, text) }
            let folder = root.path + "/docs"
            let runner = BatchRunner.inProcessSimulator(database: fixture.databaseURL)

            let enqueued = try await runner.run([folder, "--model", model, "--no-wait"])
            #expect(enqueued.exitCode == 0, "\(enqueued.log)")
            #expect(enqueued.standardError.contains("\(Self.documents.count) documents enqueued"), "\(enqueued.log)")
            let queued = try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'queued' AND model = '\(model)'")
            #expect(queued == Self.documents.count)
            #expect(!root.exists("docs.summaries"), "--no-wait wrote outputs")

            let run = try await runner.run([folder, "--model", model])
            #expect(run.exitCode == 0, "\(run.log)")
            #expect(run.standardOutput.contains("\(Self.documents.count) files: \(Self.documents.count) completed"), "\(run.log)")
            for path in Self.documents.keys {
                let summary = try #require(root.read("docs.summaries/\(path).summary.md"), "no summary for \(path):\n\(run.log)")
                #expect(summary.hasPrefix("---\nsource: \(path)\nmodel: \(model)\nstate: completed\njob: job_"), "\(summary)")
                let body = try #require(summary.components(separatedBy: "\n---\n\n").last)
                #expect(!body.contains("_(no text)_") && body.count > 10, "\(path): empty summary")
            }
            let manifest = try BatchManifest(contentsOf: root.url("docs.summaries/manifest.jsonl"))
            #expect(manifest.paths == Self.documents.keys.sorted())
            for line in manifest.lines {
                #expect(line["state"] as? String == "completed" && line["model"] as? String == model, "\(line)")
                #expect(line["attempts"] as? Int == 1, "\(line)")
                let usage = try #require(line["usage"] as? [String: Any])
                #expect((usage["input_tokens"] as? Int ?? 0) > 0 && (usage["output_tokens"] as? Int ?? 0) > 0, "\(usage)")
            }
            // Resumed, not enqueued twice: one job per document, each run once.
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == Self.documents.count)
            #expect(try await fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'completed'") == Self.documents.count)
        }
    }
}
