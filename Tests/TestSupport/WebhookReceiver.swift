import Foundation
import HTTPClient
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The Python receiver (`Interop/webhook_receiver.py`) as a real process on 127.0.0.1: it
/// verifies every request with `standardwebhooks` and `svix` and tells the test what it got.
public final class WebhookReceiver: Sendable {
    public let port: Int
    private let process: Mutex<LonghaulProcess?>
    private let client: HTTPClient

    /// One request as the receiver recorded it.
    public struct Received: Decodable, Sendable {
        public var path: String
        public var id: String
        public var timestamp: String
        public var signature: String
        public var contentType: String
        public var body: String
        public var type: String?
        public var verified: [String: [Bool]]
        public var receivedAt: Double
        public var count: Int

        /// Both libraries accepted it with the secret at `index` of the configured list.
        public func verifies(secret index: Int) -> Bool {
            verified["standardwebhooks"]?[safe: index] == true && verified["svix"]?[safe: index] == true
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private init(port: Int, process: LonghaulProcess, client: HTTPClient) {
        self.port = port
        self.process = Mutex(process)
        self.client = client
    }

    /// Runs `body` with a receiver on a free port (or on `port`) knowing `secrets`, stopped when
    /// `body` ends.
    public static func with<T>(secrets: [String], port: Int = 0, _ body: (WebhookReceiver) async throws -> T) async throws -> T {
        let (process, bound) = try await launch(secrets: secrets, port: port)
        return try await withResource(WebhookReceiver(port: bound, process: process, client: HTTPClient()), close: { await $0.stop() }, body)
    }

    private static func launch(secrets: [String], port: Int) async throws -> (LonghaulProcess, Int) {
        try await PythonServer.launch(script: "webhook_receiver.py", arguments: secrets.flatMap { ["--secret", $0] }, port: port)
    }

    /// The base URL plus `path`, e.g. `url("/fail/2")`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Everything received so far.
    public func received() async throws -> [Received] {
        let response = try await client.send(HTTPRequest(url: url("/_log"), timeout: .seconds(10)))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([Received].self, from: response.body)
    }

    /// Waits until `condition` holds for what was received, or fails after `timeout`.
    @discardableResult
    public func waitFor(
        _ what: String, timeout: Duration = .seconds(30), _ condition: ([Received]) -> Bool
    ) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let log = try await received()
            if condition(log) { return log }
            guard ContinuousClock.now < deadline else {
                throw Failure(description: "timed out waiting for \(what); received \(log.count): \(log.map { "\($0.path) \($0.id)" })")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Replaces the secrets the receiver verifies against.
    public func setSecrets(_ secrets: [String]) async throws {
        let body = try JSONEncoder().encode(["secrets": secrets])
        _ = try await client.send(HTTPRequest(method: .post, url: url("/_secrets"), headers: ["content-type": "application/json"], body: body))
    }

    /// Stops the process (the port goes down until `restart`).
    public func kill() async {
        guard let running = process.withLock({ $0 }) else { return }
        await running.stop()
    }

    /// Starts the receiver again on the same port, with an empty log.
    public func restart(secrets: [String]) async throws {
        await kill()
        let (process, _) = try await Self.launch(secrets: secrets, port: port)
        self.process.withLock { $0 = process }
    }

    private func stop() async {
        await kill()
        await client.shutdown()
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
