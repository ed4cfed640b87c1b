import Foundation
import HTTPTypes
import HummingbirdTesting
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("API authentication")
struct AuthenticationTests {
    @Test("a request without a token is a 401 with a Bearer challenge")
    func missingToken() async throws {
        try await APIHarness.run { api in
            let response = try await api.send(.get, "/v1/jobs", token: nil)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(response.errorType == "authentication_error")
            #expect(response.errorCode == "missing_token")
        }
    }

    @Test("an unknown token is a 401 that says the token was not accepted, and never echoes it")
    func unknownToken() async throws {
        try await APIHarness.run { api in
            let response = try await api.send(.get, "/v1/jobs", token: "lh_not-a-real-token-secret")
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            #expect(!response.text.contains("not-a-real-token-secret"))
        }
    }

    @Test("a scheme other than Bearer is refused")
    func wrongScheme() async throws {
        try await APIHarness.run { api in
            var headers = HTTPFields()
            headers[.authorization] = "Basic YWRtaW46YWRtaW4="
            let response = try await api.send(.get, "/v1/jobs", token: nil, headers: headers)
            #expect(response.status == .unauthorized)
        }
    }

    @Test("a revoked token stops working at once")
    func revokedToken() async throws {
        try await APIHarness.run { api in
            #expect(try await api.send(.get, "/v1/jobs", token: api.alphaToken).status == .ok)
            let listed = try await api.send(.get, "/v1/tokens?project=alpha")
            let tokenID = try #require(listed.ids.first)
            #expect(try await api.send(.delete, "/v1/tokens/\(tokenID)").status == .ok)
            #expect(try await api.send(.get, "/v1/jobs", token: api.alphaToken).status == .unauthorized)
        }
    }

    @Test("health, readiness, metrics and the document need no token")
    func publicRoutes() async throws {
        try await APIHarness.run { api in
            for path in ["/healthz", "/readyz", "/metrics", "/openapi.json"] {
                let response = try await api.send(.get, path, token: nil)
                #expect(response.status == .ok, "\(path): \(response.text.prefix(200))")
            }
            let ready = try await api.send(.get, "/readyz", token: nil)
            #expect((ready.json["checks"] as? [String: String])?["migrations"] == "ok")
            let document = try await api.send(.get, "/openapi.json", token: nil)
            #expect(document.json["openapi"] as? String == "3.1.0")
            #expect((document.json["paths"] as? [String: Any])?["/v1/jobs"] != nil)
        }
    }

    @Test("tokens are stored as SHA-256 digests, never in clear")
    func tokensStoredHashed() async throws {
        try await APIHarness.run { api in
            let created = try await api.send(.post, "/v1/tokens", object: ["name": "ci", "project": "alpha"])
            #expect(created.status == .created)
            let secret = try #require(created.json["secret"] as? String)
            #expect(try await api.send(.get, "/v1/jobs", token: secret).status == .ok)
            let clear = try await api.fixture.count("SELECT count(*) FROM api_tokens WHERE position('\(secret)' in encode(token_sha256, 'escape')) > 0 OR name = '\(secret)'")
            #expect(clear == 0)
            let listed = try await api.send(.get, "/v1/tokens")
            #expect(!listed.text.contains(secret), "a token list must never show a secret")
        }
    }
}
