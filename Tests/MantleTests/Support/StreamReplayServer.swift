import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local Hummingbird server that answers every POST with one recorded stream, sent in small
/// pieces (so chunk boundaries fall inside events), optionally ending early; it keeps the
/// requests it received so tests can check the wire (path, headers, body).
enum StreamReplayServer {
    struct Replay: Sendable {
        var status: Int = 200
        var contentType = "text/event-stream"
        var headers: [String: String] = [:]
        var body: Data
        /// Send only this many bytes, then end the body (a cut stream).
        var cutAfter: Int?
        var pieceSize = 37
    }

    struct Received: Sendable {
        var path: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: Data
    }

    /// Runs `body` with the base URL of a server answering `replay`, and what it received.
    static func withRunning<T: Sendable>(
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
            log.withLock { $0.append(received) }
            var fields = HTTPFields()
            fields[.contentType] = replay.contentType
            for (name, value) in replay.headers { if let field = HTTPField.Name(name) { fields[field] = value } }
            let sent = replay.cutAfter.map { Data(replay.body.prefix($0)) } ?? replay.body
            let stream = ResponseBody { writer in
                var offset = 0
                while offset < sent.count {
                    let piece = sent[sent.index(sent.startIndex, offsetBy: offset)...].prefix(replay.pieceSize)
                    try await writer.write(ByteBuffer(bytes: piece))
                    offset += piece.count
                }
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
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
            let result = try await body("http://127.0.0.1:\(port)") { log.withLock { $0 } }
            group.cancelAll()
            return result
        }
    }
}
