import Foundation
import HTTPClient

/// The Python OTLP/HTTP receiver (`Interop/otlp_receiver.py`) as a real process on 127.0.0.1:
/// it decodes every export with the official opentelemetry-proto types, and records the
/// `traceparent` of every webhook sent to `/hook`.
public final class TraceReceiver: Sendable {
    public let port: Int
    private let process: LonghaulProcess
    private let client: HTTPClient

    /// One span as the receiver decoded it (ids in lower-case hex).
    public struct ReceivedSpan: Decodable, Sendable {
        public var traceId: String
        public var spanId: String
        /// Empty for a root span.
        public var parentSpanId: String
        public var name: String
        /// OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
        public var kind: Int
        /// The exporting process's `service.name`.
        public var service: String?
        public var attributes: [String: Attribute]
    }

    /// An attribute value as OTLP carries it.
    public enum Attribute: Decodable, Sendable, Equatable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case array([Attribute])
        case none

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .none
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let number = try? container.decode(Int.self) {
                self = .int(number)
            } else if let number = try? container.decode(Double.self) {
                self = .double(number)
            } else if let text = try? container.decode(String.self) {
                self = .string(text)
            } else {
                self = .array(try container.decode([Attribute].self))
            }
        }
    }

    /// One webhook received at `/hook…`.
    public struct ReceivedHook: Decodable, Sendable {
        public var path: String
        public var traceparent: String?
    }

    private init(port: Int, process: LonghaulProcess, client: HTTPClient) {
        self.port = port
        self.process = process
        self.client = client
    }

    /// Runs `body` with a receiver on a free port, stopped when `body` ends.
    public static func with<T>(_ body: (TraceReceiver) async throws -> T) async throws -> T {
        let (process, port) = try await PythonServer.launch(script: "otlp_receiver.py", arguments: [], port: 0)
        return try await withResource(TraceReceiver(port: port, process: process, client: HTTPClient()), close: { await $0.stop() }, body)
    }

    /// `http://127.0.0.1:port` (the `OTEL_EXPORTER_OTLP_ENDPOINT`), plus `path`.
    public func url(_ path: String = "") -> String { "http://127.0.0.1:\(port)\(path)" }

    public func spans() async throws -> [ReceivedSpan] {
        try await get("/_spans")
    }

    public func hooks() async throws -> [ReceivedHook] {
        try await get("/_hooks")
    }

    private func get<T: Decodable>(_ path: String) async throws -> T {
        let response = try await client.send(HTTPRequest(url: url(path), timeout: .seconds(10)))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: response.body)
    }

    private func stop() async {
        process.signal(SIGTERM)
        if await process.waitForExit(timeout: .seconds(5)) == nil { await process.stop() }
        await client.shutdown()
    }
}
