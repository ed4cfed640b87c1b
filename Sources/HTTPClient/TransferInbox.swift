/// What other threads hand the owner thread, kept behind `TransferLoop`'s lock.
///
/// The owner thread takes everything at once, so a wake-up is needed only when the inbox goes
/// from empty to non-empty: under load most submissions cost no system call.
struct TransferInbox {
    enum Phase {
        case running
        /// `shutdown()` was called; the owner thread has not finished yet.
        case stopping
        /// The owner thread has cleaned up libcurl and exited.
        case stopped
    }

    /// One take of the inbox by the owner thread.
    struct Batch {
        var submissions: [Transfer]
        var cancellations: [Transfer]
        /// Streamed transfers whose reader took a full buffer: unpause them.
        var resumptions: [Transfer]
        var stopRequested: Bool
    }

    private(set) var phase = Phase.running
    private var submissions: [Transfer] = []
    private var cancellations: [Transfer] = []
    private var resumptions: [Transfer] = []
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    /// Whether the owner thread may be asleep with nothing to do (and so must be woken).
    private var ownerMayBeIdle: Bool { submissions.isEmpty && cancellations.isEmpty && resumptions.isEmpty }

    /// Queues `transfer`; returns nil when the client is shut down, else whether to wake the owner.
    mutating func submit(_ transfer: Transfer) -> Bool? {
        guard case .running = phase else { return nil }
        defer { submissions.append(transfer) }
        return ownerMayBeIdle
    }

    /// Queues a cancellation; returns whether to wake the owner.
    mutating func cancel(_ transfer: Transfer) -> Bool {
        guard case .running = phase else { return false }
        defer { cancellations.append(transfer) }
        return ownerMayBeIdle
    }

    /// Queues the resumption of a paused transfer; returns whether to wake the owner.
    mutating func resume(_ transfer: Transfer) -> Bool {
        guard case .running = phase else { return false }
        defer { resumptions.append(transfer) }
        return ownerMayBeIdle
    }

    /// Asks the owner thread to stop; returns whether to wake it, or `waiter` back when it is
    /// already gone (the caller resumes it outside the lock).
    mutating func requestStop(waiter: CheckedContinuation<Void, Never>?) -> (wake: Bool, resumeNow: CheckedContinuation<Void, Never>?) {
        switch phase {
        case .stopped:
            return (false, waiter)
        case .stopping:
            if let waiter { stopWaiters.append(waiter) }
            return (false, nil)
        case .running:
            phase = .stopping
            if let waiter { stopWaiters.append(waiter) }
            return (true, nil)
        }
    }

    /// Everything queued since the last take.
    mutating func take() -> Batch {
        defer {
            submissions.removeAll(keepingCapacity: true)
            cancellations.removeAll(keepingCapacity: true)
            resumptions.removeAll(keepingCapacity: true)
        }
        return Batch(
            submissions: submissions, cancellations: cancellations, resumptions: resumptions, stopRequested: phase == .stopping)
    }

    /// Marks the owner thread gone; returns the stop waiters to resume.
    mutating func markStopped() -> [CheckedContinuation<Void, Never>] {
        phase = .stopped
        defer { stopWaiters = [] }
        return stopWaiters
    }
}
