import CCurl
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import HTTPClient

/// The mapping from libcurl's result codes and errno to error kinds, without sockets.
@Suite struct CurlFailureTests {
    private let request: PreparedRequest

    init() throws {
        request = try PreparedRequest(
            HTTPRequest(url: "http://api.example:8080/v1?key=secret", timeout: .seconds(10), connectTimeout: .seconds(2)))
    }

    private func kind(_ code: CURLcode, errno: Int32 = 0, elapsed: Int = 0, overCap: Bool = false) -> HTTPClientError.Kind {
        CurlFailure(code: code, osErrno: errno, curlMessage: "", elapsedMilliseconds: elapsed, exceededResponseLimit: overCap)
            .error(for: request).kind
    }

    @Test func timeoutsAreToldApartByWhichDeadlinePassed() {
        #expect(kind(CURLE_OPERATION_TIMEDOUT, elapsed: 2_001) == .connectTimeout)
        #expect(kind(CURLE_OPERATION_TIMEDOUT, elapsed: 10_000) == .timeout)
    }

    @Test func mapsCodes() {
        #expect(kind(CURLE_COULDNT_CONNECT, errno: ECONNREFUSED) == .connectionRefused)
        #expect(kind(CURLE_COULDNT_CONNECT, errno: ETIMEDOUT) == .connectTimeout)
        #expect(kind(CURLE_COULDNT_CONNECT, errno: EHOSTUNREACH) == .other)
        #expect(kind(CURLE_COULDNT_RESOLVE_HOST) == .dnsFailure)
        #expect(kind(CURLE_RECV_ERROR, errno: ECONNRESET) == .connectionReset)
        #expect(kind(CURLE_GOT_NOTHING) == .connectionReset)
        #expect(kind(CURLE_PARTIAL_FILE) == .connectionReset)
        #expect(kind(CURLE_HTTP2_STREAM) == .connectionReset)
        #expect(kind(CURLE_SSL_CONNECT_ERROR) == .tlsFailure)
        #expect(kind(CURLE_SSL_CONNECT_ERROR, errno: ECONNRESET) == .connectionReset)
        #expect(kind(CURLE_PEER_FAILED_VERIFICATION) == .tlsFailure)
        #expect(kind(CURLE_WRITE_ERROR, overCap: true) == .responseTooLarge)
        #expect(kind(CURLE_WRITE_ERROR) == .other)
        #expect(kind(CURLE_FILESIZE_EXCEEDED) == .responseTooLarge)
    }

    @Test func messageNamesHostAndCauseButNotTheQuery() {
        let error = CurlFailure(
            code: CURLE_COULDNT_CONNECT, osErrno: ECONNREFUSED, curlMessage: "Failed to connect to api.example port 8080",
            elapsedMilliseconds: 1, exceededResponseLimit: false
        ).error(for: request)
        #expect(error.url == "http://api.example:8080/v1")
        #expect(error.message.contains("api.example:8080"))
        #expect(error.message.contains("Failed to connect"))
        #expect(!error.description.contains("secret"))
    }

    @Test(arguments: [
        ("https://h/p?q=1", "https://h/p"),
        ("https://u:pw@h:1/p#f", "https://h:1/p"),
        ("http://h", "http://h"),
        ("http://h/a@b", "http://h/a@b"),
    ])
    func redactsURLs(url: String, expected: String) {
        #expect(HTTPClientError.redacted(url: url) == expected)
    }
}
