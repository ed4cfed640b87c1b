import Logging

/// The loop every claiming role runs — the Submitter, the Poller and the Deliverer plug in what
/// they claim, the work each claim takes and how outcomes are written (River's producer,
/// swift-jobs' `JobQueueProcessor`):
///
/// 1. claim what is due, up to the free slots (`concurrency` minus the calls in flight);
/// 2. work on each claim in a task of its own and hand its outcome to a batched `OutcomeWriter`;
/// 3. look again at once after a full claim, else wait for a wake-up (NOTIFY, a finished call)
///    or `idleInterval`;
/// 4. on stop: claim nothing more, give the calls in flight `shutdownGrace` to finish, cancel the
///    rest (each cancelled call still yields an outcome: its claim is released), and write every
///    outcome within `drainTimeout`.
///
/// Outcomes are written apart from the work, so a status write survives the cancellation of the
/// call that produced it.
struct ClaimLoop<Claim: Sendable, Outcome: Sendable>: Sendable {
    /// What is claimed, for log lines: "jobs", "polls", "webhook deliveries".
    var name: String
    var concurrency: Int
    var idleInterval: Duration
    var shutdownGrace: Duration
    var flushInterval: Duration
    var flushSize: Int
    var logger: Logger
    /// Claims up to `limit` due items under this worker's lease.
    var claim: @Sendable (_ limit: Int) async throws -> [Claim]
    /// One call for one claim; never throws: every way it can end is an outcome.
    var work: @Sendable (Claim) async -> Outcome
    /// Writes a batch of outcomes in one transaction; guarded, so writing one twice is harmless.
    var write: @Sendable ([Outcome]) async throws -> Void
    /// Renews the leases of what is in hand every `interval` while the loop runs, for claims whose
    /// lease would otherwise run out under a slow call.
    var heartbeat: Heartbeat?

    /// A periodic lease renewal.
    struct Heartbeat: Sendable {
        var interval: Duration
        var renew: @Sendable () async throws -> Void
    }

    /// How long the writer may take to write what is left once the calls have stopped.
    static var drainTimeout: Duration { .seconds(2) }

    func run(wake: WakeSignal, stop: StopFlag) async {
        let writer = OutcomeWriter<Outcome>(interval: flushInterval, size: flushSize, logger: logger, write: write)
        let inFlight = InFlightCounter()

        await withDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            if let heartbeat {
                // Nothing in hand — no call in flight, no outcome waiting to be written — leaves
                // no lease to renew: an idle worker's heartbeat was an empty UPDATE and a commit
                // every third of a lease, per loop.
                group.addTask { await beat(heartbeat, stop: stop) { inFlight.value > 0 || writer.unwritten > 0 } }
            }
            while !stop.isSet && !Task.isCancelled {
                let free = concurrency - inFlight.value
                let claimed = free > 0 ? await claimLogged(limit: free) : []
                inFlight.add(claimed.count)
                for item in claimed {
                    group.addTask {
                        writer.add(await work(item))
                        inFlight.add(-1)
                        wake.signal()
                    }
                }
                // A full claim means more may be waiting: look again at once.
                if claimed.isEmpty || claimed.count < free {
                    await wake.wait(timeout: idleInterval)
                }
            }
            // Every finished call signals `wake`, so this wait ends as soon as the last one does.
            let deadline = ContinuousClock.now + shutdownGrace
            while inFlight.value > 0 && ContinuousClock.now < deadline && !Task.isCancelled {
                await wake.wait(timeout: deadline - ContinuousClock.now)
            }
            group.cancelAll()
        }
        await writer.drain(until: ContinuousClock.now + Self.drainTimeout)
    }

    private func claimLogged(limit: Int) async -> [Claim] {
        do {
            return try await claim(limit)
        } catch where !Task.isCancelled {
            logger.warning("claiming \(name) failed", metadata: ["error": "\(error)"])
        } catch {}
        return []
    }

    private func beat(_ heartbeat: Heartbeat, stop: StopFlag, inHand: @Sendable () -> Bool) async {
        while true {
            await stop.sleep(for: heartbeat.interval)
            if stop.isSet || Task.isCancelled { return }
            guard inHand() else { continue }
            do {
                try await heartbeat.renew()
            } catch where !Task.isCancelled {
                logger.warning("renewing the leases of \(name) failed", metadata: ["error": "\(error)"])
            } catch {}
        }
    }
}
