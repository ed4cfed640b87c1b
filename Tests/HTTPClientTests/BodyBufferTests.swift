import Foundation
import Testing

@testable import HTTPClient

/// The streamed body's pause and resume rules, without sockets.
@Suite struct BodyBufferTests {
    @Test func pausesPastTheHighWaterMarkAndAsksForAResumeWhenTaken() {
        var buffer = BodyBuffer(highWater: 10)
        #expect(push(&buffer, "123456") == .accepted)
        #expect(push(&buffer, "7890abc") == .pause, "13 bytes would pass the 10-byte mark")
        guard case .bytes(let data, let resume) = buffer.take() else {
            Issue.record("expected bytes")
            return
        }
        #expect(String(decoding: data, as: UTF8.self) == "123456")
        #expect(resume)
        #expect(push(&buffer, "7890abc") == .accepted, "libcurl delivers the refused bytes again")
        guard case .bytes(_, let again) = buffer.take() else {
            Issue.record("expected bytes")
            return
        }
        #expect(!again)
    }

    @Test func aChunkLargerThanTheMarkIsKeptWhenTheBufferIsEmpty() {
        var buffer = BodyBuffer(highWater: 4)
        #expect(push(&buffer, "longer than four") == .accepted, "else a large write would pause for ever")
    }

    @Test func takesEverythingBufferedAsOneChunkThenTheEnd() {
        var buffer = BodyBuffer(highWater: 100)
        _ = push(&buffer, "ab")
        _ = push(&buffer, "cd")
        buffer.finish(nil)
        guard case .bytes(let data, _) = buffer.take() else {
            Issue.record("expected bytes")
            return
        }
        #expect(String(decoding: data, as: UTF8.self) == "abcd")
        guard case .end = buffer.take() else {
            Issue.record("expected the end")
            return
        }
    }

    @Test func aFailureComesAfterTheBytesBeforeIt() {
        var buffer = BodyBuffer(highWater: 100)
        _ = push(&buffer, "partial")
        buffer.finish(HTTPClientError(kind: .connectionReset, message: "cut", url: "http://x/"))
        guard case .bytes = buffer.take() else {
            Issue.record("expected the partial bytes first")
            return
        }
        guard case .failed(let error) = buffer.take() else {
            Issue.record("expected the failure")
            return
        }
        #expect(error.kind == .connectionReset)
    }

    @Test func anAbandonedBufferAbortsTheTransfer() {
        var buffer = BodyBuffer(highWater: 100)
        _ = push(&buffer, "x")
        buffer.abandon()
        #expect(push(&buffer, "y") == .abort)
    }

    private func push(_ buffer: inout BodyBuffer, _ text: String) -> BodyBuffer.PushAction {
        Array(text.utf8).withUnsafeBytes { buffer.push($0) }
    }
}
