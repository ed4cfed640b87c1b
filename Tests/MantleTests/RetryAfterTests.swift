import Foundation
import HTTPClient
import Testing

@testable import Mantle

@Suite struct RetryAfterTests {
    /// 2026-11-22T10:30:00Z.
    let now = Date(timeIntervalSince1970: 1_795_343_400)

    @Test func millisecondsWinOverSeconds() {
        let headers: HTTPHeaders = ["retry-after-ms": "1500", "Retry-After": "30"]
        #expect(RetryAfter.parse(headers, now: now) == .milliseconds(1500))
    }

    @Test(arguments: [("7", Duration.seconds(7)), ("0.25", .milliseconds(250)), (" 12 ", .seconds(12))])
    func seconds(value: String, expected: Duration) {
        #expect(RetryAfter.parse(["Retry-After": value], now: now) == expected)
    }

    @Test func httpDate() {
        #expect(RetryAfter.parse(["Retry-After": "Sun, 22 Nov 2026 10:30:45 GMT"], now: now) == .seconds(45))
        // The obsolete forms of RFC 9110 too.
        #expect(RetryAfter.parse(["Retry-After": "Sunday, 22-Nov-26 10:31:00 GMT"], now: now) == .seconds(60))
        #expect(RetryAfter.parse(["Retry-After": "Sun Nov 22 10:30:05 2026"], now: now) == .seconds(5))
    }

    @Test func absentOrUnusable() {
        #expect(RetryAfter.parse([:], now: now) == nil)
        #expect(RetryAfter.parse(["Retry-After": ""], now: now) == nil)
        #expect(RetryAfter.parse(["Retry-After": "soon"], now: now) == nil)
        #expect(RetryAfter.parse(["Retry-After": "0"], now: now) == nil)
        #expect(RetryAfter.parse(["Retry-After": "-3"], now: now) == nil)
        #expect(RetryAfter.parse(["Retry-After": "inf"], now: now) == nil)
        #expect(RetryAfter.parse(["retry-after-ms": "nan"], now: now) == nil)
        // A date already past asks for no wait.
        #expect(RetryAfter.parse(["Retry-After": "Sun, 22 Nov 2026 10:29:00 GMT"], now: now) == nil)
    }

    @Test func overTwoMinutesIsKept() {
        // openai-python stops retrying in-process above 120 s; Longhaul reschedules instead, so the
        // value must survive, whichever header carries it.
        #expect(RetryAfter.parse(["Retry-After": "300"], now: now) == .seconds(300))
        #expect(RetryAfter.parse(["retry-after-ms": "600000"], now: now) == .seconds(600))
        #expect(RetryAfter.parse(["Retry-After": "Sun, 22 Nov 2026 11:30:00 GMT"], now: now) == .seconds(3600))
    }

    @Test func errorCarriesTheDelay() {
        let response = HTTPResponse(
            status: 429, headers: ["Retry-After": "20", "x-request-id": "req_1"],
            body: Data(#"{"error":{"type":"rate_limit_error","code":"rate_limit_exceeded","message":"slow down"}}"#.utf8)
        )
        let error = MantleError.http(response, operation: .createResponse, now: now)
        #expect(error.retryAfter == .seconds(20))
        #expect(error.isRetryable)
        #expect(error.description.contains("retry after 20s"))
    }
}
