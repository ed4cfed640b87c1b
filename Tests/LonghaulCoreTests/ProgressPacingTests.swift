import LonghaulCore
import Testing

@Suite("Progress pacing: a batch run reads everything at most a twentieth of the time, and its end at once")
struct ProgressPacingTests {
    static let start = ContinuousClock.now

    @Test("the first read is due at once")
    func firstReadIsDue() {
        #expect(ProgressPacing().isFullReadDue(at: Self.start, batchPending: nil))
    }

    @Test("a read that took 40 ms rests 760 ms: reads are a twentieth of the time")
    func restsNineteenTimesTheRead() {
        var pacing = ProgressPacing()
        pacing.fullReadTook(.milliseconds(40), startedAt: Self.start)
        #expect(!pacing.isFullReadDue(at: Self.start + .milliseconds(500), batchPending: nil))
        #expect(!pacing.isFullReadDue(at: Self.start + .milliseconds(799), batchPending: 12))
        #expect(pacing.isFullReadDue(at: Self.start + .milliseconds(800), batchPending: nil))
    }

    @Test("a cheap read is due again at the next tick")
    func cheapReadsFollowTheTick() {
        var pacing = ProgressPacing()
        pacing.fullReadTook(.milliseconds(2), startedAt: Self.start)
        #expect(pacing.isFullReadDue(at: Self.start + ProgressPacing.tick, batchPending: nil))
    }

    @Test("the batch saying nothing is left makes a read due before the rest is over")
    func anEmptyBatchIsReadAtOnce() {
        var pacing = ProgressPacing()
        pacing.fullReadTook(.milliseconds(120), startedAt: Self.start)
        #expect(!pacing.isFullReadDue(at: Self.start + .milliseconds(300), batchPending: 1))
        #expect(pacing.isFullReadDue(at: Self.start + .milliseconds(300), batchPending: 0))
    }
}
