/// What a borrower is given: a connection, or the right to open one (a slot).
enum PoolGrant<Connection: AnyObject> {
    case connection(Connection)
    case slot
}

/// The pool's bookkeeping as a pure value: which connections are idle, how many slots are taken,
/// who is waiting. Events return actions; ``PostgresPool`` does the connecting, closing and
/// resuming, outside its lock. Generic so that its tests need no database.
struct PoolStateMachine<Connection: AnyObject, Waiter> {
    typealias Grant = PoolGrant<Connection>

    /// What to do for a borrower that asked for a connection.
    enum LeaseAction {
        case grant(Grant)
        case wait
        case fail
    }

    /// What to do after a connection came back.
    enum ReleaseAction {
        /// Keep nothing to do: the connection is idle now.
        case none
        /// Give the connection to this waiter.
        case resume(Waiter, Grant)
        /// Close the connection; if a waiter is given, it gets the freed slot.
        case close(Connection, handingSlotTo: Waiter?)
    }

    private var idle: [Connection] = []
    private var waiters: [(id: Int, waiter: Waiter)] = []
    private var slotsTaken = 0
    private var isShutDown = false
    private var nextWaiterID = 0
    let maxConnections: Int

    init(maxConnections: Int) {
        self.maxConnections = max(1, maxConnections)
    }

    /// A borrower asks. The most recently returned connection is lent first (it is the warmest);
    /// a waiter is never overtaken, because returned connections go to waiters before the idle list.
    mutating func lease() -> LeaseAction {
        if isShutDown { return .fail }
        if waiters.isEmpty, let connection = idle.popLast() { return .grant(.connection(connection)) }
        if waiters.isEmpty, slotsTaken < maxConnections {
            slotsTaken += 1
            return .grant(.slot)
        }
        return .wait
    }

    /// An id for a borrower about to wait.
    mutating func makeWaiterID() -> Int {
        nextWaiterID += 1
        return nextWaiterID
    }

    /// Queues a borrower after ``lease()`` said `.wait` (in the same critical section).
    mutating func enqueue(_ waiter: Waiter, id: Int) {
        waiters.append((id, waiter))
    }

    /// A waiting borrower gave up (its task was cancelled); returns it if it was still waiting.
    mutating func removeWaiter(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// A borrower returns a connection; `reusable` is false for broken or closed ones.
    mutating func release(_ connection: Connection, reusable: Bool) -> ReleaseAction {
        if isShutDown {
            slotsTaken -= 1
            return .close(connection, handingSlotTo: nil)
        }
        if reusable {
            if !waiters.isEmpty { return .resume(waiters.removeFirst().waiter, .connection(connection)) }
            idle.append(connection)
            return .none
        }
        if !waiters.isEmpty { return .close(connection, handingSlotTo: waiters.removeFirst().waiter) }
        slotsTaken -= 1
        return .close(connection, handingSlotTo: nil)
    }

    /// A borrower holding a slot failed to connect; the slot goes to the next waiter, who will try
    /// for itself (so each borrower sees its own error and none waits forever).
    mutating func connectFailed() -> Waiter? {
        if !isShutDown, !waiters.isEmpty { return waiters.removeFirst().waiter }
        slotsTaken -= 1
        return nil
    }

    /// Stops lending; returns the idle connections to close and the waiters to fail.
    mutating func shutDown() -> (idle: [Connection], waiters: [Waiter]) {
        isShutDown = true
        let closing = idle
        let failing = waiters.map(\.waiter)
        idle = []
        waiters = []
        slotsTaken -= closing.count
        return (closing, failing)
    }

    /// Connections open or being opened.
    var openConnections: Int { slotsTaken }
    /// Connections sitting idle.
    var idleConnections: Int { idle.count }
    /// Borrowers waiting.
    var waitingBorrowers: Int { waiters.count }
}
