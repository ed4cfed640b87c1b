import Logging
public import ServiceLifecycle

/// Runs a test's local server (a Hummingbird `Application`) while `body` runs with the port it
/// reports on `ports`, then stops it gracefully.
///
/// Not by cancelling it: cancelled while it was still accepting a connection, a server traps
/// ("Deinited NIOAsyncWriter without calling finish()", swift-nio#3481) and takes the whole test
/// process with it. A handler still busy with a request the client gave up on is cut off after
/// two seconds.
public func withLocalServer<T: Sendable>(
    _ server: some Service, ports: AsyncStream<Int>, _ body: (_ port: Int) async throws -> T
) async throws -> T {
    let services = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [], logger: .init(label: "test-server")))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw LocalServerError() }
        let result: Result<T, any Error>
        do { result = .success(try await body(port)) } catch { result = .failure(error) }
        await services.triggerGracefulShutdown()
        group.addTask { try await Task.sleep(for: .seconds(2)) }
        _ = try? await group.next()
        group.cancelAll()
        return try result.get()
    }
}

/// The local server reported no port.
public struct LocalServerError: Error, CustomStringConvertible {
    public var description: String { "the test server did not report the port it listens on" }
}
