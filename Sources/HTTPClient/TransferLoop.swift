import CCurl
import Foundation
import Logging

/// The owner thread and the door to it: other threads submit, cancel and stop here.
///
/// libcurl's multi handle is not thread-safe, so exactly one thread of our own (not Swift's
/// cooperative pool: `curl_multi_poll` blocks) owns it and every easy handle, and loops
/// `curl_multi_poll` → `curl_multi_perform` → `curl_multi_info_read`. Other threads only touch
/// the locked inbox and `curl_multi_wakeup`, which libcurl documents as callable from any thread.
final class TransferLoop: Sendable {
    private let inbox = Locked(TransferInbox())
    private let multi: MultiHandle

    /// Starts the owner thread; `curl_global_init` must already have run.
    init(configuration: HTTPClient.Configuration, logger: Logger) {
        guard let raw = curl_multi_init() else {
            preconditionFailure("curl_multi_init failed: out of memory")
        }
        let multi = MultiHandle(raw: raw)
        self.multi = multi
        _ = longhaul_multi_setopt_long(raw, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, configuration.maxConnectionsPerHost))
        _ = longhaul_multi_setopt_long(raw, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(1, configuration.maxTotalConnections))
        _ = longhaul_multi_setopt_long(raw, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        // Keep every idle connection the limits allow. Left at its default, libcurl's connection
        // cache holds 4 per transfer under way, so when a burst ends the connections it opened
        // are closed as its last transfers finish, and the next burst connects (and, to Mantle,
        // handshakes TLS) all over again: 2,111 connects for 20,000 jobs in `bench/pipeline.sh
        // 20000 256`, 481 with this (the simulator's CPU per job 237 -> 220 µs). Connections are
        // only opened for transfers that need them, so the cache never exceeds the busiest moment,
        // and libcurl still closes one idle for longer than `CURLOPT_MAXAGE_CONN` (118 s).
        _ = longhaul_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, max(1, configuration.maxTotalConnections))

        let thread = Thread { [self] in
            let engine = TransferEngine(multi: multi, configuration: configuration, logger: logger)
            self.run(engine)
        }
        thread.name = "longhaul-http"
        thread.start()
    }

    /// Hands `transfer` to the owner thread; false if the client is shut down.
    func submit(_ transfer: Transfer) -> Bool {
        inbox.withLock { inbox in
            guard let wake = inbox.submit(transfer) else { return false }
            if wake { multi.wakeUp() }
            return true
        }
    }

    /// Asks the owner thread to abandon `transfer` (it resumes it with `.cancelled`).
    func cancel(_ transfer: Transfer) {
        inbox.withLock { inbox in
            if inbox.cancel(transfer) { multi.wakeUp() }
        }
    }

    /// Asks the owner thread to unpause a streamed `transfer` whose reader has caught up.
    func resume(_ transfer: Transfer) {
        inbox.withLock { inbox in
            if inbox.resume(transfer) { multi.wakeUp() }
        }
    }

    /// Asks the owner thread to fail everything with `.shutdown` and exit, and waits until it has.
    func stop() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let resumeNow = inbox.withLock { inbox in
                let (wake, resumeNow) = inbox.requestStop(waiter: waiter)
                if wake { multi.wakeUp() }
                return resumeNow
            }
            resumeNow?.resume()
        }
    }

    /// Asks the owner thread to stop without waiting (for `deinit`).
    func requestStop() {
        inbox.withLock { inbox in
            if inbox.requestStop(waiter: nil).wake { multi.wakeUp() }
        }
    }

    /// The owner thread's whole life.
    private func run(_ engine: TransferEngine) {
        while true {
            let batch = inbox.withLock { $0.take() }
            if batch.stopRequested {
                for transfer in batch.submissions { engine.fail(transfer, kind: .shutdown) }
                break
            }
            for transfer in batch.submissions { engine.start(transfer) }
            for transfer in batch.cancellations { engine.cancel(transfer) }
            for transfer in batch.resumptions { engine.resume(transfer) }
            engine.performAndCollect()
            engine.waitForActivity()
        }
        engine.failAllActive(kind: .shutdown)
        // No thread may call curl_multi_wakeup once the handle is gone: mark it stopped first.
        let waiters = inbox.withLock { $0.markStopped() }
        engine.close()
        for waiter in waiters { waiter.resume() }
    }
}

/// A `CURLM *` shared with the threads that wake the owner.
///
/// `@unchecked Sendable` is safe because the only call made off the owner thread is
/// `curl_multi_wakeup`, which libcurl documents as thread-safe, and it is made only under the
/// inbox lock while the phase is running or stopping; the owner marks the phase stopped under the
/// same lock before `curl_multi_cleanup`.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    func wakeUp() { _ = curl_multi_wakeup(raw) }
}
