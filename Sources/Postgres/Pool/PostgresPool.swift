public import Logging
import Synchronization

/// A bounded pool of ``PostgresConnection``s shared by many tasks.
///
/// At most `maxConnections` connections are open; borrowers beyond that wait in FIFO order,
/// suspended (no polling). Connections open lazily. A connection that broke (or that the server
/// closed while it sat idle) is discarded and replaced on the next use; one left inside a
/// transaction is rolled back before it is lent again.
public final class PostgresPool: Sendable {
    typealias Grant = PoolGrant<PostgresConnection>
    typealias Waiter = CheckedContinuation<Grant, any Error>
    typealias StateMachine = PoolStateMachine<PostgresConnection, Waiter>

    /// Where the pool connects.
    public let configuration: PostgresConfiguration
    let logger: Logger
    private let state: Mutex<StateMachine>

    /// Makes a pool; nothing connects until the first borrower.
    public init(configuration: PostgresConfiguration, maxConnections: Int, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(StateMachine(maxConnections: maxConnections))
    }

    /// The most connections this pool opens.
    public var maxConnections: Int { state.withLock { $0.maxConnections } }

    /// Runs one statement on a pooled connection. If the connection turns out dead before the
    /// statement was sent, it runs on a new connection instead.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        do {
            return try await withConnection { connection in try await connection.query(query) }
        } catch let error as PostgresError where error.requestWasNotSent {
            return try await withConnection { connection in try await connection.query(query) }
        }
    }

    /// Lends a connection to `body` and takes it back afterwards, whatever `body` does.
    public func withConnection<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await lease()
        var result: Result<T, any Error>
        do {
            result = .success(try await body(connection))
            // A statement sent "with the next one" that had none goes out now, on its own.
            try await connection.sendStatementsSentWithNext()
        } catch {
            result = .failure(error)
            // A failed transaction's unsent `BEGIN` or `NOTIFY` must not reach the next borrower.
            connection.dropStatementsSentWithNext()
        }
        if connection.needsRollback { await connection.rollbackIgnoringCancellation() }
        release(connection)
        return try result.get()
    }

    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT` if it returns, `ROLLBACK` if it throws
    /// (cancellation included).
    public func transaction<T: Sendable>(
        isolation level: PostgresIsolation = .readCommitted,
        callerIsolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            // `BEGIN` goes out with the body's first statement: a round trip fewer a transaction.
            try connection.sendWithNextStatement(PostgresQuery(unsafeSQL: level.beginSQL))
            do {
                let value = try await body(connection)
                try await connection.commit()
                return value
            } catch {
                // A failed COMMIT has already ended the transaction; roll back only one still open.
                if connection.needsRollback { await connection.rollbackIgnoringCancellation() }
                throw error
            }
        }
    }

    /// Runs `body` again when it fails with a serialization failure (40001) or a deadlock (40P01),
    /// up to `maxAttempts` times in all, waiting a jittered, growing pause between attempts.
    /// `body` should be a whole transaction, since the server aborted the failed one.
    public func retryingSerializationFailures<T: Sendable>(
        maxAttempts: Int = 5,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as PostgresError where error.isSerializationFailure && attempt < maxAttempts {
                // Full jitter over an exponential ceiling: 10 ms, 20 ms, 40 ms … capped at 1 s.
                let ceiling = min(1_000, 10 << min(attempt - 1, 10))
                let pause = Int.random(in: 1...ceiling)
                logger.debug(
                    "postgres.retrying_serialization_failure",
                    metadata: ["postgres.attempt": "\(attempt)", "postgres.sqlstate": "\(error.code)", "postgres.pause_ms": "\(pause)"]
                )
                try await Task.sleep(for: .milliseconds(pause))
                attempt += 1
            }
        }
    }

    /// A LISTEN on `channels` over a dedicated connection outside the pool, as an async sequence
    /// of notifications that reconnects by itself.
    public func listen(_ channels: [String]) -> PostgresListener {
        PostgresListener(configuration: configuration, channels: channels, logger: logger)
    }

    /// `NOTIFY channel, payload` (through `pg_notify`, so both are bound parameters).
    public func notify(_ channel: String, payload: String = "") async throws {
        try await query("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Stops lending: waiting borrowers fail, idle connections close now, lent ones when returned.
    public func shutdown() async {
        let (idle, waiters) = state.withLock { $0.shutDown() }
        for waiter in waiters { waiter.resume(throwing: PostgresError.poolShutdown) }
        for connection in idle { await connection.close() }
    }

    // MARK: - Lending

    /// A connection to use: an idle one that is still alive, or a new one.
    func lease() async throws -> PostgresConnection {
        var grant = try await acquire()
        while true {
            switch grant {
            case .connection(let connection):
                if connection.checkAliveWhileIdle() { return connection }
                // The server closed it while it sat idle (restart, pg_terminate_backend, idle
                // timeout): drop it and use its slot for a new connection.
                logger.debug("postgres.pool.replacing_dead_connection")
                connection.closeInBackground()
                grant = .slot
            case .slot:
                do {
                    return try await PostgresConnection.connect(configuration, logger: logger)
                } catch {
                    let next = state.withLock { $0.connectFailed() }
                    next?.resume(returning: .slot)
                    throw error
                }
            }
        }
    }

    /// Takes a grant at once, or waits for one in line.
    private func acquire() async throws -> Grant {
        switch state.withLock({ $0.lease() }) {
        case .grant(let grant): return grant
        case .fail: throw PostgresError.poolShutdown
        case .wait: break
        }
        let id = state.withLock { $0.makeWaiterID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                let immediate: Result<Grant, any Error>? = state.withLock { machine in
                    // Checked under the lock, so a cancellation either is seen here or finds the waiter queued.
                    if Task.isCancelled { return .failure(PostgresError.cancelled) }
                    switch machine.lease() {
                    case .grant(let grant): return .success(grant)
                    case .fail: return .failure(PostgresError.poolShutdown)
                    case .wait:
                        machine.enqueue(continuation, id: id)
                        return nil
                    }
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            state.withLock { $0.removeWaiter(id: id) }?.resume(throwing: PostgresError.cancelled)
        }
    }

    /// Takes a connection back: to the next waiter, the idle list, or closed if it is broken.
    func release(_ connection: PostgresConnection) {
        let action = state.withLock { $0.release(connection, reusable: connection.isReusable) }
        switch action {
        case .none:
            break
        case .resume(let waiter, let grant):
            waiter.resume(returning: grant)
        case .close(let connection, let waiter):
            connection.closeInBackground()
            waiter?.resume(returning: .slot)
        }
    }

    /// Open, idle and waiting counts, for tests and metrics.
    public var statistics: (open: Int, idle: Int, waiting: Int) {
        state.withLock { ($0.openConnections, $0.idleConnections, $0.waitingBorrowers) }
    }
}
