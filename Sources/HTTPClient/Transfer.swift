import Foundation

/// One request in flight: what to send, what has arrived, and the continuation to resume.
///
/// `@unchecked Sendable` is safe because ownership moves exactly once: the calling task sets
/// `continuation` and then hands the transfer to the owner thread through the inbox lock (which
/// orders those writes before every read there); from then on only the owner thread reads or
/// writes the mutable state, and only it resumes the continuation. The cancellation handler only
/// passes the reference back through the same lock.
final class Transfer: @unchecked Sendable {
    let request: PreparedRequest
    /// Resumed exactly once, by `finish(_:)`; nil afterwards.
    var continuation: CheckedContinuation<HTTPResponse, any Error>?

    // Owner thread only:
    /// The easy handle while the transfer is in the multi handle.
    var easy: EasyHandle?
    /// Cancellation arrived before the owner thread started the transfer.
    var cancelRequested = false
    /// The body exceeded `maxResponseBytes`; the write callback stopped the transfer.
    private(set) var exceededResponseLimit = false
    private(set) var head = ResponseHeadParser()
    private(set) var body = Data()

    init(request: PreparedRequest) {
        self.request = request
    }

    /// Appends body bytes; false (which makes libcurl abort with CURLE_WRITE_ERROR) past the cap.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= request.maxResponseBytes else {
            exceededResponseLimit = true
            return false
        }
        if body.isEmpty, let announced = head.headers["Content-Length"].flatMap({ Int($0) }),
            announced <= request.maxResponseBytes
        {
            body.reserveCapacity(announced)
        }
        body.append(contentsOf: bytes)
        return true
    }

    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        head.consume(line: line)
    }

    /// The response as received so far, once libcurl reports success.
    func response(status: Int, httpVersion: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: head.headers, body: body, httpVersion: httpVersion)
    }

    /// Resumes the waiting task; later calls do nothing, so every path may call it.
    func finish(_ result: Result<HTTPResponse, HTTPClientError>) {
        guard let continuation else { return }
        self.continuation = nil
        body = Data()
        continuation.resume(with: result.mapError { $0 as any Error })
    }
}
