/// The job state machine of DESIGN §5 as a pure function: no I/O, so every transition is testable.
///
/// ```
/// queued ──claim──▶ submitting ──create ok──▶ running ──poll──▶ completed | failed | incomplete | cancelled
///   ▲                   │                        │
///   └──retry (backoff)──┘ transient              └─ transient remote failure ─▶ queued
///                       └── permanent ─▶ failed
/// cancel: queued → cancelled at once; submitting/running → cancel sent to Mantle → its terminal status
/// ```
/// The SQL store applies the same rules with guarded updates (`WHERE state = …`); this type is
/// the reference the store and its tests are checked against.
public enum JobLifecycle {
    /// The state `event` leads to from `state`, or `IllegalJobTransition`.
    public static func next(from state: JobState, on event: JobEvent) throws(IllegalJobTransition) -> JobState {
        switch (state, event) {
        case (.queued, .claimed): return .submitting
        case (.queued, .cancelledWhileQueued): return .cancelled
        case (.submitting, .submitted): return .running
        case (.submitting, .submitFailedRetryable), (.submitting, .leaseExpired): return .queued
        case (.submitting, .submitFailedPermanent): return .failed
        case (.running, .remoteFinished(let outcome)):
            switch outcome {
            case .completed: return .completed
            case .failed: return .failed
            case .incomplete: return .incomplete
            case .cancelled: return .cancelled
            }
        case (.running, .remoteFailedRetryable): return .queued
        case (.failed, .retryRequested), (.incomplete, .retryRequested): return .queued
        default:
            throw IllegalJobTransition(from: state, event: event)
        }
    }
}
