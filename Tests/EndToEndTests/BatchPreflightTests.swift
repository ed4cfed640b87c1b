import Foundation
import MantleSimulator
import TestSupport
import Testing

/// The preflight of `longhaul batch` from the built binary: a simulator that takes one key, and
/// an endpoint that is down.
@Suite("longhaul batch preflight")
struct BatchPreflightTests {
    /// A folder with one document in `docs/` (removed when the returned value goes).
    static func folder() throws -> TemporaryFolder {
        let root = try TemporaryFolder(prefix: "longhaul-preflight")
        try root.write("docs/a.txt", "The harbour has two piers. Ferries use the west pier.")
        return root
    }

    @Test("a refused key or a model the endpoint does not serve: exit 78 with the reason, nothing enqueued; the right key and model pass")
    func refusals() async throws {
        let configuration = MantleSimulatorConfiguration(speed: 1000, apiKeys: ["right-key"])
        try await withResource(try await MantleSimulator.start(configuration: configuration), close: { await $0.shutdown() }) { simulator in
            try await StoreFixture.with("batch_preflight") { fixture in
                let root = try Self.folder()
                let folder = root.path + "/docs"
                func runner(key: String) -> BatchRunner {
                    BatchRunner(environment: [
                        "DATABASE_URL": fixture.databaseURL, "OPENAI_BASE_URL": simulator.baseURL.absoluteString + "/v1",
                        "OPENAI_API_KEY": key,
                    ])
                }

                let refused = try await runner(key: "wrong-key").run([folder])
                #expect(refused.exitCode == 78, "\(refused.log)")
                #expect(
                    refused.standardError.contains("Mantle refuses the key of project 'default' — HTTP 401 invalid_api_key"),
                    "\(refused.log)")
                #expect(
                    refused.standardError.contains(
                        "fix OPENAI_API_KEY or the project's credential: longhaul projects update default --credential"),
                    "\(refused.log)")
                #expect(refused.standardError.contains("nothing was enqueued"), "\(refused.log)")
                #expect(!refused.standardError.contains("found 1 files"), "the folder was read before the check:\n\(refused.log)")

                let unserved = try await runner(key: "right-key").run([folder, "--model", "openai.gpt-5.6-terra"])
                #expect(unserved.exitCode == 78, "\(unserved.log)")
                #expect(
                    unserved.standardError.contains("model 'openai.gpt-5.6-terra' is not served at \(simulator.baseURL.absoluteString)"),
                    "\(unserved.log)")
                #expect(unserved.standardError.contains("served models like it: openai.gpt-5.4, openai.gpt-5.5"), "\(unserved.log)")
                #expect(unserved.standardError.contains("choose one with --model"), "\(unserved.log)")
                #expect(try await fixture.count("SELECT count(*) FROM jobs") == 0)
                #expect(try await fixture.count("SELECT count(*) FROM batches") == 0)

                let ready = try await runner(key: "right-key").run([folder, "--model", "openai.gpt-5.4", "--no-wait"])
                #expect(ready.exitCode == 0, "\(ready.log)")
                #expect(!ready.standardError.contains("Mantle endpoint"), "\(ready.log)")
                #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE model = 'openai.gpt-5.4'") == 1)
                #expect(root.exists("docs/a.txt"))  // and the folder lives to here
            }
        }
    }

    @Test("an endpoint that is down: a note, and the documents are enqueued anyway")
    func endpointDown() async throws {
        let stopped = try await MantleSimulator.start()
        await stopped.shutdown()
        try await StoreFixture.with("batch_preflight_down") { fixture in
            let root = try Self.folder()
            let folder = root.path + "/docs"
            let runner = BatchRunner(environment: [
                "DATABASE_URL": fixture.databaseURL, "OPENAI_BASE_URL": "http://127.0.0.1:\(stopped.port)/v1", "OPENAI_API_KEY": "any-key",
            ])
            let run = try await runner.run([folder, "--no-wait"])
            #expect(run.exitCode == 0, "\(run.log)")
            #expect(
                run.standardError.contains("Mantle endpoint http://127.0.0.1:\(stopped.port) unreachable (connectionRefused"),
                "\(run.log)")
            #expect(run.standardError.contains("enqueuing anyway; the jobs wait for it"), "\(run.log)")
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'queued'") == 1)
            #expect(root.exists("docs/a.txt"))  // and the folder lives to here
        }
    }
}
