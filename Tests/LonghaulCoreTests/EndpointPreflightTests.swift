import Foundation
import HTTPClient
import Logging
import Mantle
import MantleSimulator
import TestSupport
import Testing

@testable import LonghaulCore

/// The preflight of `longhaul batch` and `POST /v1/batches` against a real simulator that takes
/// one key, with projects whose credentials are key files.
@Suite("endpoint preflight")
struct EndpointPreflightTests {
    static let logger = Logger(label: "preflight-test")

    @Test("the served models offered instead: same family first, then same provider, only Responses models")
    func alternatives() {
        let served = [
            "qwen.qwen3-32b", "openai.gpt-oss-120b", "xai.grok-4", "openai.gpt-5.5", "openai.gpt-oss-safeguard-20b", "openai.gpt-5.4",
            "google.gemma-4-31b-it",
        ]
        #expect(
            PreflightVerdict.alternatives(to: "openai.gpt-5.6-terra", among: served)
                == ["openai.gpt-5.4", "openai.gpt-5.5", "openai.gpt-oss-120b", "google.gemma-4-31b-it", "xai.grok-4"])
        #expect(PreflightVerdict.alternatives(to: "xai.grok-9", among: served, limit: 2) == ["xai.grok-4", "google.gemma-4-31b-it"])
        #expect(PreflightVerdict.alternatives(to: "openai.gpt-5.6", among: ["qwen.qwen3-32b"]).isEmpty)
    }

    @Test("refused keys, unreadable credentials, unknown or archived Mantle projects, unserved models, a closed port, and the cache")
    func againstSimulator() async throws {
        let configuration = MantleSimulatorConfiguration(speed: 1000, apiKeys: ["right-key"])
        try await withResource(try await MantleSimulator.start(configuration: configuration), close: { await $0.shutdown() }) { simulator in
            try await withResource(HTTPClient(logger: Self.logger), close: { await $0.shutdown() }) { http in
                try await StoreFixture.with("preflight") { fixture in
                    try await Self.exercise(simulator: simulator, http: http, fixture: fixture)
                }
            }
        }
    }

    private static func exercise(simulator: RunningMantleSimulator, http: HTTPClient, fixture: StoreFixture) async throws {
        let base = simulator.baseURL.absoluteString + "/v1"
        let keys = try TemporaryFolder(prefix: "longhaul-preflight")
        let right = try keys.write("right.key", "right-key")
        let wrong = try keys.write("wrong.key", "wrong-key")
        func project(_ slug: String, key: String?, baseURL: String? = base, mantleProject: String? = nil) async throws -> Project {
            try await fixture.projects.create(
                NewProject(
                    slug: slug, baseURL: baseURL, mantleProjectID: mantleProject, credentialReference: key.map { "file:" + $0 }))
        }
        let archivedID = try await archivedMantleProject(at: base, http: http)
        let downPort = try await closedPort()
        let preflight = EndpointPreflight(
            projects: fixture.projects, http: http,
            defaultEndpoint: DefaultEndpoint(
                endpoint: try MantleEndpoint(baseURL: base), credential: .apiKeyEnvironment(variable: "LONGHAUL_TEST_UNSET_KEY"),
                isSimulator: false),
            logger: logger)
        func listings() -> Int { simulator.counters().requestsByRoute[.models, default: 0] }

        // Served: ready, and the list is reused for any model of the same project.
        let good = try await project("good", key: right)
        #expect(await preflight.check(project: good, models: ["openai.gpt-oss-120b"]) == .ready)
        let afterFirst = listings()
        #expect(await preflight.check(project: good, models: ["openai.gpt-5.4", "xai.grok-4"]) == .ready)
        #expect(listings() == afterFirst, "the model list was not reused")

        // A model the enqueue check accepts but the endpoint does not list: refused, with its family.
        let unserved = await preflight.check(project: good, models: ["openai.gpt-oss-20b", "openai.gpt-5.6-terra"])
        guard case .modelNotServed(let model, let alternatives, let message) = unserved else {
            Issue.record("expected modelNotServed, got \(unserved)")
            return
        }
        #expect(model == "openai.gpt-5.6-terra" && alternatives.prefix(2) == ["openai.gpt-5.4", "openai.gpt-5.5"], "\(alternatives)")
        #expect(message.contains("project 'good'") && message.contains("openai.gpt-5.4, openai.gpt-5.5"), "\(message)")
        #expect(!alternatives.contains { $0.contains("safeguard") || $0.hasPrefix("anthropic.") }, "\(alternatives)")

        // A key Mantle refuses: the project, the status and code, and the fix; not cached, so a fixed key passes at once.
        let refusedKey = try await project("wrongkey", key: wrong)
        let refused = await preflight.check(project: refusedKey, models: ["openai.gpt-oss-120b"])
        guard case .refused(let code, let words) = refused else {
            Issue.record("expected refused, got \(refused)")
            return
        }
        #expect(code == PreflightVerdict.keyRefused)
        #expect(words.contains("Mantle refuses the key of project 'wrongkey' — HTTP 401 invalid_api_key"), "\(words)")
        #expect(words.contains("longhaul projects update wrongkey --credential"), "\(words)")
        try keys.write("wrong.key", "right-key")
        #expect(await preflight.check(project: refusedKey, models: ["openai.gpt-oss-120b"]) == .ready)

        // A credential that cannot be read, and the endpoint's own key when the project has none.
        let missing = try await project("missing", key: keys.path + "/absent.key")
        let unreadable = await preflight.check(project: missing, models: ["openai.gpt-oss-120b"])
        #expect(unreadable.refusesEnqueue && unreadable.message?.contains("absent.key does not exist") == true, "\(unreadable)")
        if case .refused(let code, _) = unreadable { #expect(code == PreflightVerdict.credentialUnusable) }
        let keyless = try await project("keyless", key: nil, baseURL: nil)
        let unset = await preflight.check(project: keyless, models: ["openai.gpt-oss-120b"])
        #expect(unset.message?.contains("LONGHAUL_TEST_UNSET_KEY is not set") == true, "\(unset)")
        #expect(unset.message?.contains("fix LONGHAUL_TEST_UNSET_KEY or the project's credential") == true, "\(unset)")

        // Mantle projects: one the key does not know, one archived.
        for (slug, mantleProject) in [("unknownproj", "proj_nope"), ("archivedproj", archivedID)] {
            let named = try await project(slug, key: right, mantleProject: mantleProject)
            let verdict = await preflight.check(project: named, models: ["openai.gpt-oss-120b"])
            guard case .refused(let code, let words) = verdict else {
                Issue.record("\(slug): expected refused, got \(verdict)")
                continue
            }
            #expect(code == PreflightVerdict.mantleProjectRefused)
            #expect(words.contains(mantleProject) && words.contains("--mantle-project-id"), "\(words)")
        }

        // An endpoint that is down: a warning, not a refusal.
        let down = try await project("down", key: right, baseURL: "http://127.0.0.1:\(downPort)/v1")
        let unreachable = await preflight.check(project: down, models: ["openai.gpt-oss-120b"])
        #expect(!unreachable.refusesEnqueue, "\(unreachable)")
        #expect(unreachable.message?.contains("unreachable (connectionRefused") == true, "\(unreachable)")
        #expect(unreachable.message?.contains("enqueuing anyway; the jobs wait for it") == true, "\(unreachable)")

        // Projects on the in-process simulator are not asked.
        let local = EndpointPreflight(
            projects: fixture.projects, http: http, defaultEndpoint: try .simulator(baseURL: "http://127.0.0.1:1"), logger: logger)
        let before = listings()
        #expect(await local.check(project: keyless, models: ["openai.gpt-5.6-terra"]) == .notChecked)
        #expect(listings() == before)
    }

    /// The id of a Mantle project created on the simulator and archived.
    private static func archivedMantleProject(at base: String, http: HTTPClient) async throws -> String {
        let client = MantleClient(
            endpoint: try MantleEndpoint(baseURL: base), credentials: try MantleCredentialProvider(.apiKey(MantleSecret("right-key"))),
            transport: http)
        let created = try await client.createProject(ProjectCreateRequest(name: "retired"))
        return try await client.archiveProject(id: created.id).id
    }

    /// A loopback port nothing listens on: one a simulator had until it stopped.
    private static func closedPort() async throws -> Int {
        let simulator = try await MantleSimulator.start()
        await simulator.shutdown()
        return simulator.port
    }
}
