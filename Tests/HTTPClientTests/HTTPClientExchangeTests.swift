import Foundation
import HTTPClient
import Testing

/// Successful exchanges against a real Hummingbird server.
@Suite struct HTTPClientExchangeTests {
    @Test func getReturnsStatusBodyAndVersion() async throws {
        try await withClientAndServer { client, port in
            let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/hello"))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "hello")
            #expect(response.httpVersion == "1.1")
        }
    }

    @Test func postBodyAndHeadersArrive() async throws {
        try await withClientAndServer { client, port in
            let body = Data([0x7B, 0x00, 0xFF, 0x0A, 0x0D] + Array("{\"hello\": \"world\"}".utf8))
            let response = try await client.send(
                HTTPRequest(
                    method: .post,
                    url: "http://127.0.0.1:\(port)/echo",
                    headers: ["X-Test": "sent-value", "Content-Type": "application/json"],
                    body: body
                ))
            #expect(response.status == 200)
            #expect(response.body == body)  // binary, NULs included: COPYPOSTFIELDS with an explicit size
            #expect(response.headers["X-Echo-Test"] == "sent-value")
            #expect(response.headers["X-Echo-Content-Type"] == "application/json")
            #expect(response.headers["X-Echo-Method"] == "POST")
        }
    }

    @Test func postWithoutContentTypeIsNotLabelledAsAForm() async throws {
        try await withClientAndServer { client, port in
            let response = try await client.send(
                HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/echo", body: Data("x".utf8)))
            #expect(response.headers["X-Echo-Content-Type"] == "(missing)")
        }
    }

    @Test func redirectIsReturnedNotFollowed() async throws {
        try await withClientAndServer { client, port in
            let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/redirect"))
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/hello")
            #expect(response.body.isEmpty)
        }
    }

    @Test func responseHeadersAreLookedUpCaseInsensitively() async throws {
        try await withClientAndServer { client, port in
            let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/headers"))
            #expect(response.headers["x-custom-header"] == "custom-value")
            #expect(response.headers["X-CUSTOM-HEADER"] == "custom-value")
            #expect(response.headers.values(for: "x-Custom-Header") == ["custom-value"])
        }
    }

    @Test func tenMegabyteBodyArrivesIntact() async throws {
        try await withClientAndServer { client, port in
            let size = 10 << 20
            let expected = Data(patternBytes(count: size))
            for path in ["bytes", "stream"] {
                let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/\(path)?count=\(size)"))
                #expect(response.status == 200)
                #expect(response.body.count == size, "\(path)")
                let intact = response.body == expected  // not inside #expect: it would print 10 MB
                #expect(intact, "\(path)")
            }
        }
    }

    @Test func pinnedAddressConnectsThereAndKeepsTheHostName() async throws {
        try await withClientAndServer { client, port in
            // example.test does not resolve; only the pinned address can make this work.
            let response = try await client.send(
                HTTPRequest(url: "http://example.test:\(port)/host", pinnedAddress: "127.0.0.1"))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "example.test:\(port)")
        }
    }

    @Test func pinnedIPv6AddressConnectsThere() async throws {
        try await withClientAndServer(serverHost: "::1") { client, port in
            let response = try await client.send(
                HTTPRequest(url: "http://example.test:\(port)/host", pinnedAddress: "::1"))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "example.test:\(port)")
        }
    }

    @Test func finalHeadersWinOverInterimContinue() async throws {
        let server = try RawSocketServer { socket in
            RawSocketServer.respond(
                socket,
                with: Array(
                    ("HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
                        + "HTTP/1.1 201 Created\r\nX-Final: yes\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").utf8))
        }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/"))
        await client.shutdown()
        #expect(response.status == 201)
        #expect(response.headers["X-Final"] == "yes")
        #expect(response.headers["X-Interim"] == nil)
        #expect(String(decoding: response.body, as: UTF8.self) == "ok")
    }

    @Test func headAnnouncingALargeBodyIsNotTooLarge() async throws {
        let server = try RawSocketServer { socket in
            RawSocketServer.respond(socket, with: Array("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n".utf8))
        }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.send(
            HTTPRequest(method: .head, url: "http://127.0.0.1:\(server.port)/", maxResponseBytes: 10))
        await client.shutdown()
        #expect(response.status == 200)
        #expect(response.headers["content-length"] == "1000000")
        #expect(response.body.isEmpty)
    }
}
