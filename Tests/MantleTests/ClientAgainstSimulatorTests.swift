import Foundation
import HTTPClient
import Logging
import Mantle
import MantleSimulator
import Testing

/// The client over real HTTP against the simulator: the lifecycle, cancel in each state, and
/// every fault kind, each classified the way the job loops rely on.
@Suite("Mantle client against the simulator")
struct ClientAgainstSimulatorTests {
    /// A running simulator and a client pointed at it; `body` runs, then both stop.
    static func withSimulator(
        _ configuration: MantleSimulatorConfiguration, timeout: Duration = .seconds(10),
        _ body: (MantleClient, RunningMantleSimulator) async throws -> Void
    ) async throws {
        let simulator = try await MantleSimulator.start(configuration: configuration, logger: Logger(label: "sim"))
        let http = HTTPClient()
        let client = MantleClient(
            endpoint: try MantleEndpoint(baseURL: simulator.baseURL.absoluteString),
            credentials: try MantleCredentialProvider(.apiKey(MantleSecret("sim-key"))), transport: http,
            timeouts: MantleTimeouts(request: timeout, connect: .seconds(2)))
        do {
            try await body(client, simulator)
        } catch {
            await http.shutdown()
            await simulator.shutdown()
            throw error
        }
        await http.shutdown()
        await simulator.shutdown()
    }

    static func request(_ text: String = "The harbour board met on Monday. It approved the new pontoon. Work starts in May.", maxOutputTokens: Int = 400) -> ResponseCreateRequest {
        ResponseCreateRequest(
            model: "openai.gpt-oss-120b", instructions: "Summarise in one sentence.", input: .text(text),
            maxOutputTokens: maxOutputTokens, metadata: ["longhaul_job_id": "job_test", "longhaul_attempt": "1"])
    }

    static func quick() -> MantleSimulatorConfiguration {
        MantleSimulatorConfiguration(speed: 100, seed: 11)
    }

    static func faulty(_ route: (inout MantleSimulatorConfiguration) -> Void) -> MantleSimulatorConfiguration {
        var configuration = quick()
        configuration.retryAfterSeconds = 3
        configuration.hangSeconds = 30
        route(&configuration)
        return configuration
    }

    @Test("a background Response goes from in_progress to completed, with text and full usage")
    func lifecycle() async throws {
        try await Self.withSimulator(Self.quick()) { client, _ in
            let created = try await client.createResponse(Self.request())
            #expect(created.id.hasPrefix("resp_"))
            #expect(created.status == .inProgress || created.status == .queued)
            var response = created
            for _ in 0..<100 where !response.isTerminal {
                try await Task.sleep(for: .milliseconds(20))
                response = try await client.retrieveResponse(id: created.id, model: "openai.gpt-oss-120b")
            }
            #expect(response.status == .completed)
            #expect(!response.outputText.isEmpty)
            let usage = try #require(response.usage)
            #expect(usage.inputTokens > 0 && usage.outputTokens > 0 && usage.totalTokens == usage.inputTokens + usage.outputTokens)
            #expect(response.metadata["longhaul_job_id"] == "job_test")
            let deleted = try await client.deleteResponse(id: created.id, model: "openai.gpt-oss-120b")
            #expect(deleted.deleted)
        }
    }

    @Test("cancel: a running Response ends cancelled, a finished one comes back unchanged, an unknown one is a 404")
    func cancelInEachState() async throws {
        var slow = Self.quick()
        slow.speed = 1
        slow.minimumDurationSeconds = 30  // still running when cancelled, however loaded the machine
        slow.maximumDurationSeconds = 30
        try await Self.withSimulator(slow) { client, simulator in
            let running = try await client.createResponse(Self.request())
            let cancelled = try await client.cancelResponse(id: running.id, model: "openai.gpt-oss-120b")
            #expect(cancelled.status == .cancelled)
            let again = try await client.cancelResponse(id: running.id, model: "openai.gpt-oss-120b")
            #expect(again.status == .cancelled)

            var fast = slow
            fast.speed = 1000
            simulator.updateConfiguration(fast)
            let done = try await client.createResponse(Self.request())
            try await Task.sleep(for: .milliseconds(100))
            let unchanged = try await client.cancelResponse(id: done.id, model: "openai.gpt-oss-120b")
            #expect(unchanged.status == .completed)

            do throws(MantleError) {
                _ = try await client.cancelResponse(id: "resp_missing", model: "openai.gpt-oss-120b")
                Issue.record("cancelling an unknown Response succeeded")
            } catch {
                #expect(error.status == 404 && error.classification == .permanent)
            }
        }
    }

    @Test("max_output_tokens too small ends incomplete with the reason")
    func incomplete() async throws {
        try await Self.withSimulator(Self.quick()) { client, _ in
            let long = String(repeating: "The council approved the budget after a long debate about the library. ", count: 30)
            let created = try await client.createResponse(Self.request(long, maxOutputTokens: 16))
            var response = created
            for _ in 0..<100 where !response.isTerminal {
                try await Task.sleep(for: .milliseconds(20))
                response = try await client.retrieveResponse(id: created.id, model: "openai.gpt-oss-120b")
            }
            #expect(response.status == .incomplete)
            #expect(response.incompleteReason?.rawValue == "max_output_tokens")
        }
    }

    @Test("429 carries Retry-After and is retryable; 500, 503 and a 400 'Internal server error' are retryable")
    func statusFaults() async throws {
        let cases: [(WritableKeyPath<FaultRates, Double>, Int)] = [
            (\.tooManyRequests, 429), (\.internalServerError, 500), (\.serviceUnavailable, 503), (\.badRequestInternalError, 400),
        ]
        for (fault, status) in cases {
            try await Self.withSimulator(Self.faulty { $0.createFaults[keyPath: fault] = 1 }) { client, _ in
                do throws(MantleError) {
                    _ = try await client.createResponse(Self.request())
                    Issue.record("a create under a \(status) fault succeeded")
                } catch {
                    #expect(error.status == status)
                    #expect(error.classification == .retryable, "\(status) should be retryable: \(error)")
                    // The simulator compresses time by its speed (100): Retry-After 3 s becomes 30 ms.
                    if status == 429 { #expect(error.retryAfter == .milliseconds(30)) }
                }
            }
        }
    }

    @Test("a hang times out and a dropped connection resets: both retryable, and the create may have happened")
    func transportFaults() async throws {
        try await Self.withSimulator(Self.faulty { $0.createFaults.hang = 1 }, timeout: .seconds(1)) { client, _ in
            do throws(MantleError) {
                _ = try await client.createResponse(Self.request())
                Issue.record("a hung create succeeded")
            } catch {
                #expect(error.transportFailure?.kind == .timeout)
                #expect(error.classification == .retryable && error.mayHaveBeenCreated)
            }
        }
        for fault in [\FaultRates.dropConnection, \FaultRates.createdButAnswerLost] {
            try await Self.withSimulator(Self.faulty { $0.createFaults[keyPath: fault] = 1 }) { client, simulator in
                do throws(MantleError) {
                    _ = try await client.createResponse(Self.request())
                    Issue.record("a dropped create succeeded")
                } catch {
                    #expect(error.transportFailure?.kind == .connectionReset)
                    #expect(error.classification == .retryable && error.mayHaveBeenCreated)
                }
                if fault == \FaultRates.createdButAnswerLost {
                    #expect(simulator.counters().answerLostResponseIDs.count == 1)
                }
            }
        }
    }

    @Test("a Response that fails with server_error is a transient failure the loops resubmit")
    func failedResponses() async throws {
        try await Self.withSimulator(Self.faulty { $0.createFaults.failedResponse = 1 }) { client, _ in
            let created = try await client.createResponse(Self.request())
            var response = created
            for _ in 0..<100 where !response.isTerminal {
                try await Task.sleep(for: .milliseconds(20))
                response = try await client.retrieveResponse(id: created.id, model: "openai.gpt-oss-120b")
            }
            #expect(response.status == .failed)
            #expect(response.error?.code == "server_error" && response.error?.isTransient == true)
        }
    }

    @Test("retrieve faults are classified like create faults")
    func retrieveFaults() async throws {
        try await Self.withSimulator(Self.faulty { $0.retrieveFaults.serviceUnavailable = 1 }) { client, _ in
            let created = try await client.createResponse(Self.request())
            do throws(MantleError) {
                _ = try await client.retrieveResponse(id: created.id, model: "openai.gpt-oss-120b")
                Issue.record("a retrieve under a 503 fault succeeded")
            } catch {
                #expect(error.status == 503 && error.classification == .retryable && !error.mayHaveBeenCreated)
            }
        }
    }

    @Test("a model without the Responses API is refused before any request is sent")
    func unsupportedModelNeverReachesTheWire() async throws {
        try await Self.withSimulator(Self.quick()) { client, simulator in
            var request = Self.request()
            request.model = "anthropic.claude-sonnet-4"
            do throws(MantleError) {
                _ = try await client.createResponse(request)
                Issue.record("an Anthropic model was sent to /responses")
            } catch {
                #expect(error.kind == .unsupportedModel)
                #expect(error.message.contains("Messages"))
            }
            #expect(simulator.counters().requestsByRoute.values.reduce(0, +) == 0)
        }
    }

    @Test("projects: create with tags, list, retrieve, rename, tag, untag, archive")
    func projects() async throws {
        try await Self.withSimulator(Self.quick()) { client, _ in
            let created = try await client.createProject(ProjectCreateRequest(name: "team-a", tags: ["CostCenter": "21524"]))
            #expect(created.id.hasPrefix("proj_"))
            #expect(try await client.listProjects().projects.contains { $0.id == created.id })
            #expect(try await client.retrieveProject(id: created.id).name == "team-a")
            #expect(try await client.modifyProject(id: created.id, .rename("team-b")).name == "team-b")
            #expect(try await client.modifyProject(id: created.id, .addTags(["Owner": "ops"])).tags["Owner"] == "ops")
            #expect(try await client.modifyProject(id: created.id, .removeTagKeys(["Owner"])).tags["Owner"] == nil)
            #expect(try await client.archiveProject(id: created.id).status == .archived)
        }
    }
}
