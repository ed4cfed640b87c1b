import Foundation
import HTTPClient
import Logging
import TestSupport
import Testing

/// `longhaul serve --with-workers`, the simplest deployment: one process takes jobs over REST
/// and carries them to the end through the in-process simulator.
@Suite struct ServeCommandTests {
    static let token = "serve-test-admin-token-0123456789"

    @Test func aJobPostedToTheAPIIsSummarisedByTheSameProcess() async throws {
        try await TestDatabase.withFreshDatabase(named: "serve") { database in
            try await LonghaulProcess.with(
                ["serve", "--with-workers", "--database-url", database.url, "--port", "0", "--first-poll", "0", "--min-poll-interval", "0.1"],
                environment: ["LONGHAUL_ADMIN_TOKEN": Self.token, "LONGHAUL_SIMULATOR_SPEED": "100"],
                unsetting: ["OPENAI_BASE_URL", "OPENAI_API_KEY"]
            ) { server in
                try await withResource(HTTPClient(logger: Logger(label: "serve-test")), close: { await $0.shutdown() }) { http in
                    let port = try await server.waitForOutput { log in
                        log.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/).map { String($0.1) }
                    }
                    let base = "http://127.0.0.1:\(port)"
                    let created = try await Self.send(http, .post, "\(base)/v1/jobs", body: #"{"document": "The committee met on Tuesday and approved the budget of 4.2 million."}"#)
                    #expect(created.status == 202, "\(created.json)")
                    let id = try #require(created.json["id"] as? String)
                    let batch = try await Self.send(http, .post, "\(base)/v1/batches", body: #"{"documents": [{"document": "First."}, {"document": "Second one."}]}"#)
                    let batchID = try #require((batch.json["batch"] as? [String: Any])?["id"] as? String)

                    var job: [String: Any] = [:]
                    var batchState: [String: Any] = [:]
                    let deadline = ContinuousClock.now + .seconds(60)
                    while ContinuousClock.now < deadline {
                        job = try await Self.send(http, .get, "\(base)/v1/jobs/\(id)").json
                        batchState = try await Self.send(http, .get, "\(base)/v1/batches/\(batchID)").json
                        if job["state"] as? String == "completed" && batchState["finished"] as? Bool == true { break }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    #expect(job["state"] as? String == "completed", "\(job)\n\(server.log().suffix(2000))")
                    #expect((job["output_text"] as? String)?.isEmpty == false)
                    #expect(((job["usage"] as? [String: Any])?["output_tokens"] as? Int ?? 0) > 0)
                    #expect((batchState["counts"] as? [String: Int])?["completed"] == 2)
                }
                server.signal(SIGTERM)
                #expect(await server.waitForExit(timeout: .seconds(20)) == 0, "serve stops cleanly on SIGTERM:\n\(server.log().suffix(2000))")
            }
        }
    }

    struct Answer {
        let status: Int
        let json: [String: Any]
    }

    static func send(_ http: HTTPClient, _ method: HTTPMethod, _ url: String, body: String? = nil) async throws -> Answer {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let response = try await http.send(HTTPRequest(method: method, url: url, headers: headers, body: body.map { Data($0.utf8) }))
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return Answer(status: response.status, json: json)
    }
}
