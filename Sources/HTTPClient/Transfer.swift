import CCurl
import Foundation

/// One request in flight: what to send, what has arrived, and the continuation to resume.
///
/// `@unchecked Sendable` is safe because ownership moves exactly once: the calling task sets
/// `continuation` (or `headContinuation`) and then hands the transfer to the owner thread through
/// the inbox lock (which orders those writes before every read there); from then on only the
/// owner thread reads or writes the mutable state, and only it resumes the continuations. The
/// cancellation handler only passes the reference back through the same lock, and a streamed
/// body's reader touches only `channel`, which has its own lock.
final class Transfer: @unchecked Sendable {
    let request: PreparedRequest
    /// Resumed exactly once, by `finish(_:)`; nil afterwards. Whole-body transfers only.
    var continuation: CheckedContinuation<HTTPResponse, any Error>?
    /// Streamed transfers: resumed once, when the final response head is in (or the transfer fails).
    var headContinuation: CheckedContinuation<StreamHead, any Error>?
    /// Streamed transfers: where body bytes go instead of `body`.
    let channel: BodyChannel?

    // Owner thread only:
    /// The easy handle while the transfer is in the multi handle.
    var easy: EasyHandle?
    /// Cancellation arrived before the owner thread started the transfer.
    var cancelRequested = false
    /// The body exceeded `maxResponseBytes`; the write callback stopped the transfer.
    private(set) var exceededResponseLimit = false
    private(set) var head = ResponseHeadParser()
    private(set) var body = Data()

    /// A transfer whose whole body is returned at once (`streamed: false`), or streamed through a
    /// `BodyChannel` that pauses the transfer past `highWater` buffered bytes.
    init(request: PreparedRequest, streamed: Bool = false, highWater: Int = 256 << 10) {
        self.request = request
        self.channel = streamed ? BodyChannel(highWater: highWater) : nil
    }

    /// What the write callback does with body bytes.
    enum BodyAction {
        case accepted
        /// Pause the transfer (libcurl delivers the same bytes again on resume).
        case pause
        /// Abort with CURLE_WRITE_ERROR.
        case abort
    }

    /// Keeps body bytes: appends them, or streams them to the reader.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> BodyAction {
        if let channel {
            deliverHead()
            switch channel.push(bytes) {
            case .accepted: return .accepted
            case .pause: return .pause
            case .abort: return .abort
            }
        }
        guard body.count + bytes.count <= request.maxResponseBytes else {
            exceededResponseLimit = true
            return .abort
        }
        if body.isEmpty, let announced = head.headers["Content-Length"].flatMap({ Int($0) }),
            announced <= request.maxResponseBytes
        {
            body.reserveCapacity(announced)
        }
        body.append(contentsOf: bytes)
        return .accepted
    }

    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        head.consume(line: line)
        // A streamed caller learns the status as soon as the final head is in, not with the
        // first body byte (a model may think for minutes before its first token).
        if channel != nil, head.isComplete, let easy, easy.info(CURLINFO_RESPONSE_CODE) >= 200 {
            deliverHead()
        }
    }

    /// The response as received so far, once libcurl reports success.
    func response(status: Int, httpVersion: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: head.headers, body: body, httpVersion: httpVersion)
    }

    /// Resumes the waiting task; later calls do nothing, so every path may call it.
    func finish(_ result: Result<HTTPResponse, HTTPClientError>) {
        if let channel {
            switch result {
            case .success(let response):
                deliverHead(StreamHead(status: response.status, headers: response.headers, httpVersion: response.httpVersion))
                channel.finish(nil)
            case .failure(let error):
                if let headContinuation {
                    self.headContinuation = nil
                    headContinuation.resume(throwing: error)
                }
                channel.finish(error)
            }
            return
        }
        guard let continuation else { return }
        self.continuation = nil
        body = Data()
        continuation.resume(with: result.mapError { $0 as any Error })
    }

    /// Resumes the stream's caller with the head, once.
    private func deliverHead(_ known: StreamHead? = nil) {
        guard let headContinuation else { return }
        self.headContinuation = nil
        let status = known?.status ?? easy.map { $0.info(CURLINFO_RESPONSE_CODE) } ?? 0
        let version = known?.httpVersion ?? easy.map { TransferEngine.httpVersion($0.info(CURLINFO_HTTP_VERSION)) } ?? "1.1"
        headContinuation.resume(returning: StreamHead(status: status, headers: head.headers, httpVersion: version))
    }
}

/// The final response head of a streamed transfer.
struct StreamHead: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var httpVersion: String
}
