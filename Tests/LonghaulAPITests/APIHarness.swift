import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import LonghaulAPI
import LonghaulCore
import NIOCore
import Postgres
import Prometheus
import TestSupport
import Testing

/// The API on a fresh database, served in process by HummingbirdTesting, with two tenants
/// (`alpha`, `beta`) that each have a token, and the admin token.
struct APIHarness: Sendable {
    let client: any TestClientProtocol
    let fixture: StoreFixture
    let alpha: Project
    let beta: Project
    let alphaToken: String
    let betaToken: String

    static let adminToken = "test-admin-token-0123456789"

    /// Runs `body` against the API on a fresh database, which is dropped when `body` ends.
    static func run(
        configuration: APIConfiguration = APIConfiguration(adminToken: adminToken),
        provisioning: (@Sendable (PostgresPool) -> MantleProvisioning)? = nil,
        preflight: (@Sendable (PostgresPool) -> EndpointPreflight)? = nil,
        _ body: @Sendable (APIHarness) async throws -> Void
    ) async throws {
        try await StoreFixture.with("api") { fixture in
            let projects = ProjectStore(pool: fixture.pool)
            _ = try await projects.ensureDefault()
            let alpha = try await fixture.project("alpha")
            let beta = try await fixture.project("beta")
            let tokens = TokenStore(pool: fixture.pool)
            let alphaToken = try await tokens.create(name: "alpha app", projectID: alpha.id).secret
            let betaToken = try await tokens.create(name: "beta app", projectID: beta.id).secret
            var logger = Logger(label: "api-test")
            logger.logLevel = .warning
            let server = APIServer(
                configuration: configuration, pool: fixture.pool, registry: PrometheusCollectorRegistry(), provisioner: provisioning?(fixture.pool),
                preflight: preflight?(fixture.pool), logger: logger)
            let app = try server.makeApplication()
            try await app.test(.router) { client in
                try await body(APIHarness(
                    client: client, fixture: fixture, alpha: alpha, beta: beta, alphaToken: alphaToken, betaToken: betaToken))
            }
        }
    }

    /// Sends a request; `json` is sent as the body with `Content-Type: application/json`.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = adminToken, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return APIResponse(response)
    }

    func send(_ method: HTTPRequest.Method, _ path: String, token: String? = adminToken, object: [String: Any]) async throws -> APIResponse {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await send(method, path, token: token, json: String(decoding: data, as: UTF8.self))
    }

    /// Enqueues a job through the API and returns its id (the request must succeed).
    func createJob(token: String, document: String = "A short document about rivers. It has two sentences.", extra: [String: Any] = [:]) async throws -> String {
        var object: [String: Any] = ["document": document]
        object.merge(extra) { _, new in new }
        let response = try await send(.post, "/v1/jobs", token: token, object: object)
        #expect(response.status == .accepted, "\(response.text)")
        return try #require(response.json["id"] as? String)
    }
}

/// A response with its body parsed as a JSON object when it is one.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    init(_ response: TestResponse) {
        status = response.status
        headers = response.headers
        text = String(buffer: response.body)
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    var errorCode: String? { error["code"] as? String }
    var errorParam: String? { error["param"] as? String }
    var errorType: String? { error["type"] as? String }
    var data: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
    var ids: [String] { data.compactMap { $0["id"] as? String } }
}
