public import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local Hummingbird server that answers every POST with one recorded stream, sent in small
/// pieces (so chunk boundaries fall inside events), optionally ending early; it keeps the
/// requests it received so tests can check the wire (path, headers, body). It stands in for the
/// streamed APIs until the simulator serves them.
public enum StreamReplayServer {
    public struct Replay: Sendable {
        public var status: Int
        public var contentType: String
        public var headers: [String: String]
        public var body: Data
        /// Send only this many bytes, then end the body (a cut stream).
        public var cutAfter: Int?
        /// Cut only every `cutEvery`-th request (1-based), when `cutAfter` is set; nil: every request.
        public var cutEvery: Int?
        /// After the cut, hold the connection open (silent) instead of ending the body.
        public var stallAfterCut: Bool
        public var pieceSize: Int

        public init(
            status: Int = 200, contentType: String = "text/event-stream", headers: [String: String] = [:], body: Data,
            cutAfter: Int? = nil, cutEvery: Int? = nil, stallAfterCut: Bool = false, pieceSize: Int = 37
        ) {
            self.status = status
            self.contentType = contentType
            self.headers = headers
            self.body = body
            self.cutAfter = cutAfter
            self.cutEvery = cutEvery
            self.stallAfterCut = stallAfterCut
            self.pieceSize = pieceSize
        }
    }

    public struct Received: Sendable {
        public var path: String
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: Data
    }

    /// Runs `body` with the base URL of a server answering `replay`, and what it received.
    public static func withRunning<T: Sendable>(
        _ replay: Replay, _ body: @Sendable (_ baseURL: String, _ received: @Sendable () -> [Received]) async throws -> T
    ) async throws -> T {
        let log = Mutex<[Received]>([])
        let router = Router()
        router.post("**") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let received = Received(path: request.uri.path, headers: headers, body: Data(bytes.readableBytesView))
            let number = log.withLock { log in
                log.append(received)
                return log.count
            }
            var fields = HTTPFields()
            fields[.contentType] = replay.contentType
            for (name, value) in replay.headers { if let field = HTTPField.Name(name) { fields[field] = value } }
            let cut = replay.cutAfter.flatMap { cutAfter in (replay.cutEvery.map { number % $0 == 0 } ?? true) ? cutAfter : nil }
            let sent = cut.map { Data(replay.body.prefix($0)) } ?? replay.body
            let stream = ResponseBody { writer in
                var offset = 0
                while offset < sent.count {
                    let piece = sent[sent.index(sent.startIndex, offsetBy: offset)...].prefix(replay.pieceSize)
                    try await writer.write(ByteBuffer(bytes: piece))
                    offset += piece.count
                }
                if cut != nil && replay.stallAfterCut { try await Task.sleep(for: .seconds(3600)) }
                try await writer.finish(nil)
            }
            return Response(status: .init(code: replay.status), headers: fields, body: stream)
        }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "stream-replay-server")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }, logger: logger)
        return try await withLocalServer(app, ports: ports) { port in
            try await body("http://127.0.0.1:\(port)") { log.withLock { $0 } }
        }
    }
}
