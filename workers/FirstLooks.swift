import LonghaulCore
import Synchronization

/// The first looks at new Responses that this worker keeps in hand, from its Submitter to its
/// Poller, instead of leaving them to be claimed again from the database.
///
/// A create's accept leases the job to this worker (`heldLease`, as a held stream's does) when
/// its first look is due within half a poll lease and there is room here, and stores the lease's
/// end as its next poll, so that no claim's scan of the due jobs reads it meanwhile. Once the
/// accept is written, the look waits here until it is due, and the Poller takes it before it
/// claims from the database. That claim — an index scan, a row lock and an update a job — was 11 % of
/// PostgreSQL's execution time in the pipeline bench (`STATEMENTS=1 bench/pipeline.sh`: 32 of 285
/// µs a job). What a look finds is written as any poll's outcome, guarded by the lease. A worker
/// that stops gives back the leases of the looks it never took (`releasePollLeases`); one that
/// dies leaves them to run out, as it leaves its polls and streams: another worker looks then.
final class FirstLooks: Sendable {
    private struct Look: Sendable {
        var poll: ClaimedPoll
        var due: ContinuousClock.Instant
    }

    private struct State {
        /// Reserved by a create whose accept is not yet written.
        var waiting: [Int64: Look] = [:]
        /// Written: the Poller's to take once due.
        var ready: [Look] = []
    }

    /// Looks kept at once, waiting and ready: the Poller's concurrency.
    let capacity: Int
    /// The latest a look may be due and still be kept: half the lease it is kept under, so that
    /// a Poller that falls behind still takes it well within the lease.
    let window: Duration
    private let state = Mutex(State())

    init(capacity: Int, lease: Duration) {
        self.capacity = capacity
        self.window = lease / 2
    }

    /// Keeps `poll`'s first look, due after `delay`, once its accept is written; false when it is
    /// due too late or there is no room (the job is then left to the database, as before).
    func reserve(_ poll: ClaimedPoll, dueIn delay: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        guard delay <= window else { return false }
        return state.withLock { state in
            guard state.waiting.count + state.ready.count < capacity else { return false }
            state.waiting[poll.id] = Look(poll: poll, due: now + delay)
            return true
        }
    }

    /// A batch of outcomes was written: the looks of `accepted` jobs are ready (a cancel asked for
    /// meanwhile makes the look a cancel, due at once, as the accept made the job's next poll);
    /// those of the batch's other jobs are dropped — their accept did not apply, so the lease is
    /// not this worker's. Looks whose accept never came (a write that failed for good) are dropped
    /// after a lease.
    func written(batch jobIDs: [Int64], accepted: [Int64: Bool], now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            for id in jobIDs {
                guard var look = state.waiting.removeValue(forKey: id), let cancelRequested = accepted[id] else { continue }
                if cancelRequested {
                    look.poll.cancelRequested = true
                    look.due = now
                }
                state.ready.append(look)
            }
            // Checked on every write; the dictionary is rebuilt only when something is stale.
            let isStale = { (look: Look) in now - look.due > self.window * 2 }
            if state.waiting.values.contains(where: isStale) { state.waiting = state.waiting.filter { !isStale($0.value) } }
        }
    }

    /// Up to `limit` looks that are due, the earliest first.
    func takeDue(limit: Int, now: ContinuousClock.Instant = .now) -> [ClaimedPoll] {
        guard limit > 0 else { return [] }
        return state.withLock { state in
            guard state.ready.contains(where: { $0.due <= now }) else { return [] }
            state.ready.sort { $0.due < $1.due }
            let count = min(limit, state.ready.prefix { $0.due <= now }.count)
            let taken = state.ready.prefix(count).map(\.poll)
            state.ready.removeFirst(count)
            return taken
        }
    }

    /// Every look not taken, now that the worker stops: the jobs whose leases to give back.
    func drain() -> [Int64] {
        state.withLock { state in
            let left = state.ready.map(\.poll.id)
            state = State()
            return left
        }
    }
}
