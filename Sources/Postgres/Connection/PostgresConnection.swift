import CLibPQ
import Dispatch
public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One PostgreSQL connection (one `PGconn`), whose blocking libpq calls all run on a serial queue
/// of its own, never on Swift's cooperative thread pool.
///
/// Statements run one at a time in the order they are called. Cancelling the calling task sends
/// `PQcancel` for the running statement and the call throws a ``PostgresError`` of kind
/// ``PostgresError/Kind/cancelled``. Most code borrows connections from a ``PostgresPool``.
///
/// Sendable because every use of the `PGconn` happens in closures on `queue` (a serial queue, so
/// one thread at a time, as libpq requires); the `PGcancel` handle is thread-safe by libpq's
/// contract; and the remaining mutable state is behind `Mutex`es (`status`, `sentWithNext`).
/// `statements` is only read and written on `queue`.
public final class PostgresConnection: @unchecked Sendable {
    /// What the pool needs to know about a connection between operations, updated on `queue`.
    struct Status {
        var isClosed = false
        var isBroken = false
        var transaction = PQTRANS_IDLE
    }

    private let handle: OpaquePointer
    private let cancelHandle: OpaquePointer?
    private let queue: DispatchQueue
    private let cancelQueue: DispatchQueue
    private let status = Mutex(Status())
    private var statements = PreparedStatementCache()
    /// Statements to send in the same round trip as the next one (``sendWithNextStatement(_:)``).
    private let sentWithNext = Mutex<[PostgresQuery]>([])
    private let notices: NoticeLogger
    let logger: Logger

    /// The server process id serving this connection (`pg_backend_pid()`).
    public let backendPID: Int32

    private init(handle: OpaquePointer, queue: DispatchQueue, logger: Logger) {
        self.handle = handle
        self.queue = queue
        self.cancelQueue = DispatchQueue(label: "longhaul.postgres.cancel")
        self.cancelHandle = PQgetCancel(handle)
        self.backendPID = PQbackendPID(handle)
        var logger = logger
        logger[metadataKey: "postgres.backend_pid"] = "\(backendPID)"
        self.logger = logger
        self.notices = NoticeLogger(logger: logger)
        notices.install(on: handle)
    }

    deinit {
        // close() normally finished the connection on its queue; this covers a connection dropped
        // without close(), when no closure on the queue can still hold it.
        if !status.withLock({ $0.isClosed }) { PQfinish(handle) }
        if let cancelHandle { PQfreeCancel(cancelHandle) }
    }

    /// Connects (on a new queue), sets the session to `TimeZone=UTC` and `DateStyle=ISO`, and
    /// returns the connection. The error names the host or socket and libpq's reason, never the password.
    public static func connect(_ configuration: PostgresConfiguration, logger: Logger) async throws -> PostgresConnection {
        let queue = DispatchQueue(label: "longhaul.postgres.connection")
        let handle = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<LibPQHandle, any Error>) in
            queue.async {
                continuation.resume(with: Result { try LibPQConnector.open(configuration) })
            }
        }
        let connection = PostgresConnection(handle: handle.pointer, queue: queue, logger: logger)
        connection.logger.debug("postgres.connected", metadata: ["postgres.server": "\(configuration.description)"])
        return connection
    }

    /// True once ``close()`` ran or the connection broke.
    public var isClosed: Bool { status.withLock { $0.isClosed || $0.isBroken } }

    /// Runs one statement with bound parameters (prepared once per connection and reused) and
    /// returns its rows, copied out of libpq.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        if let error = query.bindings.encodingError { throw error }
        return try await run(cancellable: true) { connection in try connection.performQuery(query) }
    }

    /// Runs `queries` in order in one round trip (libpq's pipeline mode), each prepared once and
    /// reused as ``query(_:)`` does, and returns each one's rows. The first failure is thrown, and the
    /// server skips the statements after it. For statements that do not need each other's results:
    /// a write and the read of what it wrote, in one transaction.
    public func query(_ queries: [PostgresQuery]) async throws -> [PostgresRows] {
        for query in queries { if let error = query.bindings.encodingError { throw error } }
        return try await run(cancellable: true) { connection in
            try connection.performPipeline(connection.takeStatementsSentWithNext(), then: queries.map(PipelineEnd.prepared))
        }
    }

    /// Sends `query` in the same round trip as this connection's next statement (or its `COMMIT`),
    /// instead of in one of its own: for statements whose result nobody reads, as a transaction's
    /// `BEGIN` or a `NOTIFY`. If it fails, that next statement throws its error. When the borrower gives
    /// the connection back first, it goes out alone then, or not at all if the borrower failed.
    ///
    /// Each round trip is two thread hops (the caller's task to this connection's queue and back)
    /// besides the network: under load on 2 cores, a hop waits behind whatever else is runnable.
    public func sendWithNextStatement(_ query: PostgresQuery) throws {
        if let error = query.bindings.encodingError { throw error }
        sentWithNext.withLock { $0.append(query) }
    }

    /// Sends the statements waiting for ``sendWithNextStatement(_:)``'s next statement, if any, alone.
    func sendStatementsSentWithNext() async throws {
        guard !sentWithNext.withLock({ $0.isEmpty }) else { return }
        _ = try await run(cancellable: true) { connection in try connection.flushStatementsSentWithNext() }
    }

    /// Forgets statements waiting for ``sendWithNextStatement(_:)``'s next statement: the borrower
    /// failed (a transaction whose body threw before its first statement leaves its `BEGIN` here).
    func dropStatementsSentWithNext() {
        sentWithNext.withLock { $0.removeAll() }
    }

    /// Runs SQL text through the simple query protocol: several statements separated by `;` are
    /// allowed (migrations), no parameters are. Stops at the first failing statement.
    public func execute(_ sql: String) async throws {
        _ = try await run(cancellable: true) { connection in try connection.performSimple(sql) }
    }

    /// Closes the connection (`PQfinish`, once). Safe to call more than once.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.finish()
                continuation.resume()
            }
        }
    }

    /// Closes without waiting, for the pool discarding a broken or surplus connection.
    func closeInBackground() {
        queue.async { self.finish() }
    }

    /// Runs on `queue`: `PQfinish` exactly once.
    private func finish() {
        let alreadyClosed = status.withLock { status in
            defer { status.isClosed = true }
            return status.isClosed
        }
        if !alreadyClosed {
            PQfinish(handle)
            logger.debug("postgres.closed")
        }
    }

    // MARK: - Pool support

    /// True when the pool may lend the connection again: open, unbroken, outside a transaction.
    var isReusable: Bool {
        status.withLock { !$0.isClosed && !$0.isBroken && $0.transaction == PQTRANS_IDLE }
    }

    /// True when an earlier borrower left a transaction open (or failed) on the connection.
    var needsRollback: Bool {
        status.withLock { !$0.isClosed && !$0.isBroken && ($0.transaction == PQTRANS_INTRANS || $0.transaction == PQTRANS_INERROR) }
    }

    /// For an idle connection about to be lent: reads whatever the server sent while it sat idle
    /// (a termination notice, an end of file) without blocking, and tells whether it is still usable.
    /// The queue is idle at that moment, so `sync` runs at once.
    func checkAliveWhileIdle() -> Bool {
        queue.sync {
            guard !status.withLock({ $0.isClosed || $0.isBroken }) else { return false }
            let socket = PQsocket(handle)
            guard socket >= 0 else { return false }
            // Nothing should arrive on an idle connection but notifications, or a FATAL followed
            // by end of file. The end of file may not have arrived yet when the FATAL is read
            // (the server terminating backends on a restart or pg_terminate_backend), so anything
            // unsolicited that is not a notification condemns the connection: lending it would
            // fail the borrower's statement with "server closed the connection unexpectedly".
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            var reads = 0
            while reads < 4, poll(&descriptor, 1, 0) > 0 {
                reads += 1
                var notifications = 0
                let consumed = PQconsumeInput(handle) != 0 && PQstatus(handle) == CONNECTION_OK
                while let notification = PQnotifies(handle) {
                    notifications += 1
                    PQfreemem(notification)
                }
                if !consumed || notifications == 0 {
                    status.withLock { $0.isBroken = true }
                    logger.debug("postgres.idle_connection_lost", metadata: ["postgres.reason": "\(LibPQResult.connectionMessage(handle))"])
                    return false
                }
            }
            return true
        }
    }

    /// Rolls back whatever transaction is open, even when the calling task is cancelled: a
    /// connection must not go back to the pool inside a transaction. Errors are logged, and a
    /// connection that failed here is broken and will be discarded.
    func rollbackIgnoringCancellation() async {
        dropStatementsSentWithNext()
        do {
            _ = try await run(cancellable: false) { connection in try connection.performSimple("ROLLBACK") }
        } catch {
            logger.debug("postgres.rollback_failed", metadata: ["postgres.error": "\(error)"])
        }
    }

    /// `COMMIT`, which fails when the server answers `ROLLBACK` (the transaction had already failed).
    func commit() async throws {
        let rows = try await run(cancellable: true) { connection in
            let ahead = connection.takeStatementsSentWithNext()
            return ahead.isEmpty
                ? try connection.performSimple("COMMIT") : try connection.performPipeline(ahead, then: [.unnamed("COMMIT")])[0]
        }
        if rows.commandTag == "ROLLBACK" {
            throw PostgresError(
                kind: .server,
                message: "COMMIT rolled back the transaction because a statement in it had failed (an error was caught and not rethrown inside the transaction)",
                sqlState: PostgresError.Code.inFailedTransaction.rawValue
            )
        }
    }

    // MARK: - Running operations on the queue

    /// Runs `body` on the connection's queue with the `PGconn`; cancelling the task cancels the
    /// running statement (if `cancellable`). A non-cancellable operation runs even in a cancelled task.
    func run<T: Sendable>(
        cancellable: Bool,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        if cancellable, Task.isCancelled { throw PostgresError.cancelled }
        let operation = OperationCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                queue.async {
                    continuation.resume(with: self.perform(operation, cancellable: cancellable, body))
                }
            }
        } onCancel: {
            guard cancellable else { return }
            // PQcancel opens a socket to the server and waits: never on the cooperative pool.
            cancelQueue.async {
                operation.cancel { self.sendCancelRequest() }
            }
        }
    }

    /// Runs on `queue`.
    private func perform<T>(
        _ operation: OperationCancellation,
        cancellable: Bool,
        _ body: (PostgresConnection) throws -> T
    ) -> Result<T, any Error> {
        guard !cancellable || operation.start() else { return .failure(PostgresError.cancelled) }
        if status.withLock({ $0.isClosed }) {
            _ = operation.finish()
            return .failure(PostgresError(kind: .connection, message: "the PostgreSQL connection is closed"))
        }
        var result = Result { try body(self) }
        let cancelSent = operation.finish()
        status.withLock { status in
            // Broken stays broken; so is a connection left in pipeline mode (a send that failed
            // halfway through a pipeline): its next statement would wait for a Sync never sent.
            status.isBroken = status.isBroken || PQstatus(handle) != CONNECTION_OK || PQpipelineStatus(handle) != PQ_PIPELINE_OFF
            status.transaction = PQtransactionStatus(handle)
        }
        if cancelSent, case .failure(let error as PostgresError) = result, error.code == .queryCanceled {
            var cancelled = error
            cancelled.kind = .cancelled
            result = .failure(cancelled)
        }
        return result
    }

    /// Runs on `cancelQueue`, only while an operation's statement is running.
    private func sendCancelRequest() {
        guard let cancelHandle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        if PQcancel(cancelHandle, &buffer, Int32(buffer.count)) == 0 {
            let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            logger.debug("postgres.cancel_failed", metadata: ["postgres.reason": "\(reason)"])
        }
    }

    // MARK: - Work on the queue (these touch the PGconn)

    /// Runs on `queue`: one statement through the extended protocol, prepared once and then reused;
    /// in one round trip with any statements sent ahead of it.
    private func performQuery(_ query: PostgresQuery) throws -> PostgresRows {
        let ahead = takeStatementsSentWithNext()
        if !ahead.isEmpty { return try performPipeline(ahead, then: [.prepared(query)])[0] }
        let bindings = query.bindings
        let key = PreparedStatementCache.Key(sql: query.sql, types: bindings.types.map(\.oid))
        if let name = statements.name(for: key) {
            do {
                return try collectResults(sent: sendPrepared(name, query))
            } catch let error as PostgresError where error.code == .featureNotSupported && isIdleOutsideTransaction {
                // "cached plan must not change result type": a migration changed a table under the
                // prepared statement. The statement did not run; prepare it afresh.
                statements.remove(key)
            }
        }
        if let name = statements.reserveName() {
            let prepared = key.types.withUnsafeBufferPointer { types in
                PQprepare(handle, name, query.sql, Int32(bindings.count), types.baseAddress)
            }
            defer { PQclear(prepared) }
            guard let prepared, PQresultStatus(prepared) == PGRES_COMMAND_OK else {
                throw LibPQResult.error(from: prepared, connection: handle)
            }
            statements.insert(name, for: key)
            return try collectResults(sent: sendPrepared(name, query))
        }
        return try collectResults(sent: sendUnnamed(query))
    }

    private var isIdleOutsideTransaction: Bool { PQtransactionStatus(handle) == PQTRANS_IDLE }

    /// Runs on `queue`: SQL text through the simple protocol (after any statements sent ahead of
    /// it, in a round trip of their own: the simple protocol cannot share one).
    func performSimple(_ sql: String) throws -> PostgresRows {
        try flushStatementsSentWithNext()
        return try collectResults(sent: PQsendQuery(handle, sql))
    }

    /// Runs on `queue`: takes the statements waiting to go out with the next one.
    private func takeStatementsSentWithNext() -> [PostgresQuery] {
        sentWithNext.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    /// Runs on `queue`: sends the statements waiting to go out with the next one, alone.
    func flushStatementsSentWithNext() throws {
        let ahead = takeStatementsSentWithNext()
        if !ahead.isEmpty { _ = try performPipeline(ahead, then: []) }
    }

    /// A statement of a pipeline whose rows are returned: through the prepared-statement cache, or unnamed.
    enum PipelineEnd {
        case prepared(PostgresQuery)
        case unnamed(PostgresQuery)
    }

    /// Runs on `queue`: `ahead` (unnamed statements) and then `ends` in one round trip, through
    /// libpq's pipeline mode with one Sync after them all. Returns the rows of each of `ends`, or
    /// throws the first error; the server skips what follows an error.
    private func performPipeline(_ ahead: [PostgresQuery], then ends: [PipelineEnd]) throws -> [PostgresRows] {
        enum Step {
            case ahead
            case prepare(name: String, key: PreparedStatementCache.Key)
            case end(index: Int, cached: PreparedStatementCache.Key?)
        }
        guard PQenterPipelineMode(handle) == 1 else { throw LibPQResult.error(from: nil, connection: handle) }
        // Leaves pipeline mode once every result was read. After a send that failed halfway or a
        // lost server it cannot, and the connection is broken (`perform`), for the pool to drop.
        defer { _ = PQexitPipelineMode(handle) }
        var steps: [Step] = []
        func sent(_ result: Int32, _ step: Step) throws {
            guard result == 1 else {
                throw PostgresError(kind: .connection, message: "could not send the statement to PostgreSQL: \(LibPQResult.connectionMessage(handle))")
            }
            steps.append(step)
        }
        for query in ahead { try sent(sendUnnamed(query), .ahead) }
        var preparedHere: [PreparedStatementCache.Key: String] = [:]
        for (index, end) in ends.enumerated() {
            switch end {
            case .prepared(let query):
                let key = PreparedStatementCache.Key(sql: query.sql, types: query.bindings.types.map(\.oid))
                if let name = statements.name(for: key) {
                    try sent(sendPrepared(name, query), .end(index: index, cached: key))
                } else if let name = preparedHere[key] {
                    try sent(sendPrepared(name, query), .end(index: index, cached: nil))
                } else if let name = statements.reserveName() {
                    let prepared = key.types.withUnsafeBufferPointer { types in
                        PQsendPrepare(handle, name, query.sql, Int32(query.bindings.count), types.baseAddress)
                    }
                    try sent(prepared, .prepare(name: name, key: key))
                    preparedHere[key] = name
                    try sent(sendPrepared(name, query), .end(index: index, cached: nil))
                } else {
                    try sent(sendUnnamed(query), .end(index: index, cached: nil))
                }
            case .unnamed(let query):
                try sent(sendUnnamed(query), .end(index: index, cached: nil))
            }
        }
        guard PQpipelineSync(handle) == 1 else {
            throw PostgresError(kind: .connection, message: "could not send the statements to PostgreSQL: \(LibPQResult.connectionMessage(handle))")
        }

        var rows = [PostgresRows](repeating: PostgresRows(storage: .empty, affectedRows: 0, commandTag: ""), count: ends.count)
        var firstError: PostgresError?
        for step in steps {
            // Each statement's results end with a NULL; one the server skipped after an error
            // answers PGRES_PIPELINE_ABORTED.
            while let result = PQgetResult(handle) {
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                    switch step {
                    case .prepare(let name, let key): statements.insert(name, for: key)
                    case .end(let index, _) where firstError == nil: rows[index] = LibPQResult.rows(from: result)
                    default: break
                    }
                case PGRES_PIPELINE_ABORTED:
                    break
                default:
                    let error = LibPQResult.error(from: result, connection: handle)
                    if case .end(_, let key?) = step, error.code == .featureNotSupported {
                        // "cached plan must not change result type": prepared afresh next time.
                        statements.remove(key)
                    }
                    firstError = firstError ?? error
                }
            }
        }
        let sync = PQgetResult(handle)
        defer { PQclear(sync) }
        guard let sync, PQresultStatus(sync) == PGRES_PIPELINE_SYNC else {
            throw firstError ?? LibPQResult.error(from: sync, connection: handle)
        }
        if let firstError { throw firstError }
        return rows
    }

    /// Runs on `queue`: queues `query` unnamed (parsed and planned for this one run).
    private func sendUnnamed(_ query: PostgresQuery) -> Int32 {
        let types = query.bindings.types.map(\.oid)
        return withParameters(query.bindings) { values in
            types.withUnsafeBufferPointer { types in
                PQsendQueryParams(handle, query.sql, Int32(query.bindings.count), types.baseAddress, values, nil, nil, 0)
            }
        }
    }

    /// Runs on `queue`: queues `query` as the statement prepared under `name`.
    private func sendPrepared(_ name: String, _ query: PostgresQuery) -> Int32 {
        withParameters(query.bindings) { values in
            PQsendQueryPrepared(handle, name, Int32(query.bindings.count), values, nil, nil, 0)
        }
    }

    /// Runs on `queue`: sends SQL that should start `COPY … FROM STDIN`; true once the server is
    /// waiting for the data, otherwise throws the server's error.
    func performSimpleAllowingCopy(_ sql: String) throws -> Bool {
        try flushStatementsSentWithNext()
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        guard let result else { throw LibPQResult.error(from: nil, connection: handle) }
        switch PQresultStatus(result) {
        case PGRES_COPY_IN:
            return true
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw LibPQResult.error(from: result, connection: handle)
        default:
            // Drain whatever else was sent so the connection is ready for the next statement.
            _ = try? collectResults(sent: 1)
            return false
        }
    }

    /// Runs on `queue`: reads every result of the statement just sent (PQgetResult until NULL,
    /// which is what makes the connection ready again), clearing each, and returns the last rows or
    /// throws the first error.
    func collectResults(sent: Int32) throws -> PostgresRows {
        guard sent == 1 else {
            var error = PostgresError(
                kind: .connection,
                message: "could not send the statement to PostgreSQL: \(LibPQResult.connectionMessage(handle))"
            )
            error.requestWasNotSent = true
            throw error
        }
        var rows: PostgresRows?
        var firstError: PostgresError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            let resultStatus = PQresultStatus(result)
            switch resultStatus {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                if firstError == nil { rows = LibPQResult.rows(from: result) }
            case PGRES_COPY_IN:
                // Only copyIn may start a COPY FROM STDIN; refuse it here so the connection recovers.
                _ = PQputCopyEnd(handle, "COPY FROM STDIN is only supported through copyIn")
                firstError = firstError ?? PostgresError(kind: .protocol, message: "use copyIn(table:columns:rows:) for COPY FROM STDIN")
            case PGRES_COPY_OUT:
                var buffer: UnsafeMutablePointer<CChar>?
                while PQgetCopyData(handle, &buffer, 0) > 0 { PQfreemem(buffer) }
                firstError = firstError ?? PostgresError(kind: .protocol, message: "COPY TO STDOUT is not supported")
            default:
                firstError = firstError ?? LibPQResult.error(from: result, connection: handle)
            }
        }
        if let firstError { throw firstError }
        if PQstatus(handle) != CONNECTION_OK {
            throw LibPQResult.error(from: nil, connection: handle)
        }
        return rows ?? PostgresRows(storage: .empty, affectedRows: 0, commandTag: "")
    }

    /// Runs on `queue`: `PQescapeIdentifier`, for COPY's table and column names.
    func escapeIdentifier(_ identifier: String) throws -> String {
        guard let escaped = PQescapeIdentifier(handle, identifier, identifier.utf8.count) else {
            throw PostgresError(kind: .encoding, message: "cannot quote identifier: \(LibPQResult.connectionMessage(handle))")
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    /// Runs on `queue`: sends COPY data in chunks and ends the COPY, or aborts it with `failure`.
    func putCopyData(_ data: [UInt8]) throws {
        let chunkSize = 1 << 20
        var offset = 0
        while offset < data.count {
            let count = min(chunkSize, data.count - offset)
            let sent = data.withUnsafeBytes { bytes in
                PQputCopyData(handle, bytes.bindMemory(to: CChar.self).baseAddress.map { $0 + offset }, Int32(count))
            }
            guard sent == 1 else {
                throw PostgresError(kind: .connection, message: "COPY data could not be sent: \(LibPQResult.connectionMessage(handle))")
            }
            offset += count
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw PostgresError(kind: .connection, message: "COPY could not be ended: \(LibPQResult.connectionMessage(handle))")
        }
    }
}

/// Parameter values as the C strings `PQsendQuery*` reads: one buffer, NUL-terminated values, and
/// a pointer array that stays alive for the call.
private func withParameters<T>(_ bindings: PostgresBindings, _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> T) rethrows -> T {
    if bindings.count == 0 { return try body(nil) }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(bindings.values.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 })
    var offsets: [Int?] = []
    offsets.reserveCapacity(bindings.count)
    for value in bindings.values {
        guard let value else {
            offsets.append(nil)
            continue
        }
        offsets.append(buffer.count)
        buffer.append(contentsOf: value.utf8)
        buffer.append(0)
    }
    return try buffer.withUnsafeBytes { bytes in
        let base = bytes.bindMemory(to: CChar.self).baseAddress
        let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
            offset.flatMap { offset in base.map { $0 + offset } }
        }
        return try pointers.withUnsafeBufferPointer { try body($0.baseAddress) }
    }
}
