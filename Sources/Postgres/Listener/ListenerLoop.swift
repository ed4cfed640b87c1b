import CLibPQ
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The thread behind a ``PostgresListener``: connect, LISTEN, then wait on the socket with
/// `poll()` and hand each notification to the stream; on any failure, back off and start over.
///
/// It wakes at least every ``wakeInterval`` to notice that it was stopped. The `PGconn` lives
/// only in `run()`'s locals on this one thread; the shared state is the stop flag in a `Mutex`
/// and the stream's continuation, which is Sendable.
final class ListenerLoop: Sendable {
    static let wakeInterval: Int32 = 200  // milliseconds

    private let configuration: PostgresConfiguration
    private let channels: [String]
    private let logger: Logger
    private let events: AsyncStream<PostgresListenerEvent>.Continuation
    private let stopped = Mutex(false)
    private let notices: NoticeLogger

    init(
        configuration: PostgresConfiguration,
        channels: [String],
        logger: Logger,
        events: AsyncStream<PostgresListenerEvent>.Continuation
    ) {
        var configuration = configuration
        configuration.applicationName += "-listener"
        self.configuration = configuration
        self.channels = channels
        self.logger = logger
        self.events = events
        self.notices = NoticeLogger(logger: logger)
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "longhaul.postgres.listener"
        thread.start()
    }

    func stop() {
        stopped.withLock { $0 = true }
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    private func run() {
        var failures = 0
        var missedNotifications = false
        while !isStopped {
            do {
                let connection = try LibPQConnector.open(configuration).pointer
                defer { PQfinish(connection) }
                notices.install(on: connection)
                try listen(on: connection)
                logger.debug("postgres.listener.listening", metadata: ["postgres.channels": "\(channels)"])
                if missedNotifications { events.yield(.reconnected) }
                failures = 0
                missedNotifications = true  // from here on, any loss of the connection misses some
                try receive(on: connection)
            } catch {
                missedNotifications = true
                failures += 1
                logger.info(
                    "postgres.listener.reconnecting",
                    metadata: ["postgres.error": "\(error)", "postgres.failures": "\(failures)"]
                )
                pause(afterFailures: failures)
            }
        }
        events.finish()
    }

    private func listen(on connection: OpaquePointer) throws {
        for channel in channels {
            let result = PQexec(connection, "LISTEN \(PostgresQuery.quoteIdentifier(channel))")
            defer { PQclear(result) }
            guard let result, PQresultStatus(result) == PGRES_COMMAND_OK else {
                throw LibPQResult.error(from: result, connection: connection)
            }
        }
    }

    /// Returns when stopped; throws when the connection is lost.
    private func receive(on connection: OpaquePointer) throws {
        let socket = PQsocket(connection)
        while !isStopped {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Self.wakeInterval)
            if ready < 0, errno != EINTR {
                throw PostgresError(kind: .connection, message: "poll() on the listener socket failed: errno \(errno)")
            }
            guard ready > 0 else { continue }
            if PQconsumeInput(connection) == 0 || PQstatus(connection) != CONNECTION_OK {
                throw PostgresError(
                    kind: .connection,
                    message: "the listener's connection was lost: \(LibPQResult.connectionMessage(connection))"
                )
            }
            while let notification = PQnotifies(connection) {
                let channel = String(cString: notification.pointee.relname)
                let payload = notification.pointee.extra.map { String(cString: $0) } ?? ""
                PQfreemem(notification)
                events.yield(.notification(channel: channel, payload: payload))
            }
        }
    }

    /// Exponential backoff with full jitter, 100 ms up to 5 s, in slices so a stop is seen quickly.
    private func pause(afterFailures failures: Int) {
        let ceiling = min(5_000, 100 << min(failures - 1, 6))
        var remaining = Int.random(in: ceiling / 2...ceiling)
        while remaining > 0, !isStopped {
            let slice = min(remaining, Int(Self.wakeInterval))
            usleep(UInt32(slice * 1_000))
            remaining -= slice
        }
    }
}
