import Testing
@testable import Workers

/// The loops sleep on a `WakeSignal` between passes; if a wait stopped waiting, an idle worker
/// would claim in a tight loop. Bounds are one-sided where the machine's load could matter: a
/// sleep never ends early, but a wake-up may come late.
@Suite("WakeSignal")
struct WakeSignalTests {
    @Test("a wait that timed out does not spoil the next: every wait waits")
    func waitsAfterTimeout() async {
        let signal = WakeSignal()
        for _ in 0..<3 {
            let start = ContinuousClock.now
            await signal.wait(timeout: .milliseconds(200))
            #expect(ContinuousClock.now - start >= .milliseconds(200))
        }
    }

    @Test("signals before a wait coalesce into one wake-up")
    func signalsCoalesce() async {
        let signal = WakeSignal()
        for _ in 0..<5 { signal.signal() }
        let first = ContinuousClock.now
        await signal.wait(timeout: .seconds(30))
        #expect(ContinuousClock.now - first < .seconds(10))
        let second = ContinuousClock.now
        await signal.wait(timeout: .milliseconds(200))
        #expect(ContinuousClock.now - second >= .milliseconds(200))
    }

    @Test("a signal during a wait ends it, also after earlier timeouts")
    func signalEndsWait() async {
        let signal = WakeSignal()
        await signal.wait(timeout: .milliseconds(20))
        let start = ContinuousClock.now
        async let waited: Void = signal.wait(timeout: .seconds(30))
        try? await Task.sleep(for: .milliseconds(100))
        signal.signal()
        await waited
        #expect(ContinuousClock.now - start >= .milliseconds(100), "the wait ended before the signal")
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
