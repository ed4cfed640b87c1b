import Foundation
import HTTPClient
import Testing

/// Each way an exchange fails maps to its own `HTTPClientError.Kind`, over real sockets.
@Suite struct HTTPClientFailureTests {
    @Test func slowerThanTheTimeoutIsATimeout() async throws {
        try await withClientAndServer { client, port in
            let start = ContinuousClock.now
            let error = await failure {
                try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/slow?ms=20000", timeout: .milliseconds(300)))
            }
            #expect(error?.kind == .timeout)
            // Far from the 20 s the answer would take, with room for a loaded machine.
            #expect(ContinuousClock.now - start < .seconds(8))
            #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        }
    }

    @Test func unansweredConnectIsAConnectTimeout() async throws {
        let listener = try UnansweringListener()
        let client = HTTPClient()
        let error = await failure {
            try await client.send(
                HTTPRequest(url: "http://127.0.0.1:\(listener.port)/", timeout: .seconds(5), connectTimeout: .milliseconds(300)))
        }
        await client.shutdown()
        #expect(error?.kind == .connectTimeout, "\(String(describing: error))")
    }

    @Test func closedPortIsConnectionRefused() async throws {
        let port = try closedLoopbackPort()
        let client = HTTPClient()
        let error = await failure { try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/")) }
        await client.shutdown()
        #expect(error?.kind == .connectionRefused)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
    }

    @Test func resetConnectionIsConnectionReset() async throws {
        let server = try RawSocketServer { RawSocketServer.reset($0) }
        defer { server.stop() }
        let client = HTTPClient()
        let error = await failure { try await client.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/")) }
        await client.shutdown()
        #expect(error?.kind == .connectionReset, "\(String(describing: error))")
    }

    @Test func closeWithoutReplyIsConnectionReset() async throws {
        let server = try RawSocketServer { RawSocketServer.respond($0, with: []) }
        defer { server.stop() }
        let client = HTTPClient()
        let error = await failure { try await client.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/")) }
        await client.shutdown()
        #expect(error?.kind == .connectionReset, "\(String(describing: error))")
    }

    @Test func truncatedBodyIsConnectionReset() async throws {
        let server = try RawSocketServer { socket in
            RawSocketServer.respond(socket, with: Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-part".utf8))
        }
        defer { server.stop() }
        let client = HTTPClient()
        let error = await failure { try await client.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/")) }
        await client.shutdown()
        #expect(error?.kind == .connectionReset, "\(String(describing: error))")
    }

    @Test(arguments: ["bytes", "stream"])
    func bodyOverTheCapIsResponseTooLarge(path: String) async throws {
        try await withClientAndServer { client, port in
            let error = await failure {
                try await client.send(
                    HTTPRequest(url: "http://127.0.0.1:\(port)/\(path)?count=\(10 << 20)", maxResponseBytes: 1 << 20))
            }
            #expect(error?.kind == .responseTooLarge, "\(String(describing: error))")
            // The client must still work afterwards (the aborted connection is not reused).
            let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/hello"))
            #expect(response.status == 200)
        }
    }

    @Test func unknownHostIsDNSFailure() async throws {
        let client = HTTPClient()
        let error = await failure { try await client.send(HTTPRequest(url: "http://no-such-host.invalid/")) }
        await client.shutdown()
        #expect(error?.kind == .dnsFailure, "\(String(describing: error))")
        #expect(error?.message.contains("no-such-host.invalid") == true)
    }

    @Test func httpsToAPlainHTTPPortIsTLSFailure() async throws {
        try await withClientAndServer { client, port in
            let error = await failure { try await client.send(HTTPRequest(url: "https://127.0.0.1:\(port)/hello")) }
            #expect(error?.kind == .tlsFailure, "\(String(describing: error))")
        }
    }

    @Test func errorsDropTheQueryStringAndUserInfo() async throws {
        let port = try closedLoopbackPort()
        let client = HTTPClient()
        let error = await failure {
            try await client.send(HTTPRequest(url: "http://user:hunter2@127.0.0.1:\(port)/hook?token=s3cret#frag"))
        }
        await client.shutdown()
        #expect(error?.url == "http://127.0.0.1:\(port)/hook")
        let text = String(describing: error)
        #expect(!text.contains("s3cret") && !text.contains("hunter2"))
    }

    @Test(arguments: [
        HTTPRequest(url: "ftp://127.0.0.1/file"),
        HTTPRequest(url: "file:///etc/passwd"),
        HTTPRequest(url: "not a url"),
        HTTPRequest(url: "http://127.0.0.1/", headers: ["X-Injected": "a\r\nEvil: yes"]),
        HTTPRequest(url: "http://127.0.0.1/", headers: ["Bad Name": "x"]),
        HTTPRequest(method: HTTPMethod(rawValue: "GET /x"), url: "http://127.0.0.1/"),
        HTTPRequest(url: "http://127.0.0.1/", pinnedAddress: "localhost"),
        HTTPRequest(url: "http://127.0.0.1/", timeout: .zero),
        HTTPRequest(method: .head, url: "http://127.0.0.1/", body: Data("x".utf8)),
    ])
    func requestsLibcurlMustNotSeeAreInvalid(request: HTTPRequest) async throws {
        let client = HTTPClient()
        let error = await failure { try await client.send(request) }
        await client.shutdown()
        #expect(error?.kind == .invalidRequest, "\(request.url): \(String(describing: error))")
    }
}
