import Logging
import Postgres
import Synchronization
import Testing

@testable import Workers

@Suite("OutcomeWriter: batches that fail")
struct OutcomeWriterTests {
    /// A write that records what it wrote and fails as `failure` says for each batch.
    final class Recorder: Sendable {
        let written = Mutex<[Int]>([])
        let attempts = Mutex(0)
        let failure: @Sendable ([Int], Int) -> PostgresError?

        init(failure: @escaping @Sendable ([Int], Int) -> PostgresError?) {
            self.failure = failure
        }

        func write(_ batch: [Int]) throws {
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if let error = failure(batch, attempt) { throw error }
            written.withLock { $0 += batch }
        }
    }

    static func drained(_ outcomes: Range<Int>, size: Int = 64, _ recorder: Recorder) async -> [Int] {
        let writer = OutcomeWriter<Int>(interval: .milliseconds(1), size: size, logger: Logger(label: "writer")) { try recorder.write($0) }
        for outcome in outcomes { writer.add(outcome) }
        await writer.drain(until: .now + .seconds(20))
        return recorder.written.withLock { $0 }.sorted()
    }

    @Test("one outcome the statement refuses is isolated and dropped; every other one is written, in few writes")
    func poisonIsIsolated() async {
        let refused = PostgresError(kind: .server, message: "invalid input syntax for type bigint", sqlState: "22P02")
        let recorder = Recorder { batch, _ in batch.contains(13) ? refused : nil }
        let written = await Self.drained(0..<200, recorder)
        #expect(written == Array(0..<200).filter { $0 != 13 })
        // 200 outcomes in batches of 64, one of them halved down to itself: a handful of writes, not hundreds.
        #expect(recorder.attempts.withLock { $0 } < 20)
    }

    @Test("a lost connection keeps the whole batch and writes it when the database is back")
    func connectionLossKeepsEverything() async {
        let lost = PostgresError(kind: .connection, message: "server closed the connection unexpectedly")
        let recorder = Recorder { _, attempt in attempt <= 2 ? lost : nil }
        #expect(await Self.drained(0..<100, recorder) == Array(0..<100))
    }
}
