import Testing

@testable import Workers

@Suite("WakeSignal: a loop sleeps until signalled or timed out, however many waits came before")
struct WakeSignalTests {
    @Test("after a wait that timed out, the next wait still sleeps (it does not return at once)")
    func sleepsAfterATimeout() async {
        let signal = WakeSignal()
        await signal.wait(timeout: .milliseconds(10))
        let clock = ContinuousClock()
        let start = clock.now
        await signal.wait(timeout: .milliseconds(300))
        #expect(clock.now - start >= .milliseconds(250))
    }

    @Test("a signal sent before the wait makes it return at once; many signals coalesce into one")
    func pendingSignalsCoalesce() async {
        let signal = WakeSignal()
        signal.signal()
        signal.signal()
        signal.signal()
        let clock = ContinuousClock()
        var start = clock.now
        await signal.wait(timeout: .seconds(30))
        #expect(clock.now - start < .seconds(10))
        start = clock.now
        await signal.wait(timeout: .milliseconds(300))
        #expect(clock.now - start >= .milliseconds(250))
    }

    @Test("a signal during the wait ends it long before the timeout, again and again")
    func signalWakesTheWaiter() async {
        let signal = WakeSignal()
        let clock = ContinuousClock()
        for _ in 0..<20 {
            let start = clock.now
            async let waited: Void = signal.wait(timeout: .seconds(60))
            try? await Task.sleep(for: .milliseconds(5))
            signal.signal()
            await waited
            #expect(clock.now - start < .seconds(30))
        }
    }
}
