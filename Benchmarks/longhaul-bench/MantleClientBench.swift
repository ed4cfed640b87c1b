import ArgumentParser
import Foundation
import HTTPClient
import Mantle

/// `longhaul-bench mantle`: how many creates, then retrieves, per second the Mantle client
/// carries against a (local) simulator, from many concurrent tasks.
struct MantleClientBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mantle", abstract: "Measure Mantle client creates and retrieves per second against a simulator.")

    @Option(help: "The simulator's base URL, e.g. http://127.0.0.1:8089 (benchmarks never target other hosts).")
    var url: String

    @Option(help: "Calls in flight at once.")
    var concurrency = 64

    @Option(help: "Seconds per phase.")
    var duration = 10

    func run() async throws {
        let endpoint = try MantleEndpoint(baseURL: url)
        let credentials = try MantleCredentialProvider(.apiKey(MantleSecret("bench")))
        let http = HTTPClient(configuration: .init(maxConnectionsPerHost: concurrency))
        let client = MantleClient(endpoint: endpoint, credentials: credentials, transport: http)
        let document = String(repeating: "The harbour board approved the pontoon repairs and a new inspection calendar. ", count: 25)
        let request = ResponseCreateRequest(
            model: "openai.gpt-oss-120b", instructions: "Summarise in two sentences.", input: .text(document), maxOutputTokens: 300)

        let (creates, createFailures, ids) = try await phase { _ in
            let response = try await client.createResponse(request)
            return response.id
        }
        print(String(format: "creates:   %8.0f /s  (%d failed, concurrency %d, %d s)", creates, createFailures, concurrency, duration))
        let (retrieves, retrieveFailures, _) = try await phase { index in
            _ = try await client.retrieveResponse(id: ids[index % max(ids.count, 1)], model: request.model)
            return nil
        }
        print(String(format: "retrieves: %8.0f /s  (%d failed, concurrency %d, %d s)", retrieves, retrieveFailures, concurrency, duration))
        await http.shutdown()
    }

    /// Runs `call` from `concurrency` tasks for `duration` seconds; returns calls/s, failures, results.
    private func phase(_ call: @escaping @Sendable (Int) async throws -> String?) async throws -> (Double, Int, [String]) {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(duration)
        let results = await withTaskGroup(of: (Int, Int, [String]).self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var done = 0, failed = 0, ids: [String] = []
                    while clock.now < deadline {
                        do {
                            if let id = try await call(worker * 1_000_000 + done) { ids.append(id) }
                            done += 1
                        } catch {
                            failed += 1
                        }
                    }
                    return (done, failed, ids)
                }
            }
            return await group.reduce(into: (0, 0, [String]())) { total, part in
                total.0 += part.0
                total.1 += part.1
                total.2 += part.2
            }
        }
        let elapsed = clock.now - start
        return (Double(results.0) / elapsed.inSeconds, results.1, results.2)
    }
}
