import LonghaulCore

/// Decides when `longhaul batch` stops waiting for work that cannot move: its project has been
/// held (paused, or its endpoint unavailable) for `limit` and no document finished meanwhile.
/// Pure: the reporter feeds it what it reads and acts on the answer.
struct GiveUpWatch: Sendable {
    /// nil: wait for ever (`--give-up-after 0`).
    let limit: Duration?
    private var heldSince: ContinuousClock.Instant?
    private var doneWhenHeld = 0

    init(limit: Duration?) {
        self.limit = limit
    }

    /// True when the run should give up, given the project's hold and how many documents are
    /// done at `now`.
    mutating func shouldGiveUp(hold: ProjectHold?, done: Int, now: ContinuousClock.Instant) -> Bool {
        guard hold != nil else {
            heldSince = nil
            return false
        }
        if heldSince == nil || done != doneWhenHeld {
            // Held from now on; a document that finished meanwhile means the work still moves.
            heldSince = now
            doneWhenHeld = done
        }
        guard let limit, let heldSince else { return false }
        return now - heldSince >= limit
    }

    /// The default: a few minutes at a terminal (someone is watching and can act), half an hour
    /// otherwise (a scheduled run rides out a longer outage before it reports).
    static func defaultLimit(terminal: Bool) -> Duration {
        terminal ? .seconds(5 * 60) : .seconds(30 * 60)
    }
}
