import Synchronization
import Testing

@testable import LonghaulAPI

@Suite("The short memory of per-request lookups")
struct ExpiringCacheTests {
    /// A lookup held until the test lets it go, counting how often it ran.
    final class HeldLookup: Sendable {
        let runs = Atomic<Int>(0)
        let started: AsyncStream<Void>
        private let startedSink: AsyncStream<Void>.Continuation
        private let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)

        init() {
            (started, startedSink) = AsyncStream.makeStream()
        }

        func load(_ value: String) async -> String? {
            runs.add(1, ordering: .relaxed)
            await withCheckedContinuation { continuation in
                gate.withLock { $0 = continuation }
                startedSink.yield()
            }
            return value
        }

        /// Starts a lookup of `key` in `cache` that this holds, once it runs.
        func begin(in cache: ExpiringCache<String, String>, key: String, finding value: String) async -> Task<String?, any Error> {
            let request = Task { try await cache.value(for: key) { await self.load(value) } }
            var iterator = started.makeAsyncIterator()
            await iterator.next()
            return request
        }

        func release() {
            gate.withLock { $0?.resume(); $0 = nil }
        }
    }

    @Test("a request that misses while the key's lookup runs gets that lookup's value, and the value is kept")
    func missesShareTheLookup() async throws {
        let cache = ExpiringCache<String, String>(lifetime: .seconds(3600))
        let held = HeldLookup()
        let first = await held.begin(in: cache, key: "default", finding: "project 1")
        // Whether it joins the running lookup or reads what it kept, it never runs its own.
        async let second = cache.value(for: "default") { "project 2" }
        held.release()
        #expect(try await first.value == "project 1")
        #expect(try await second == "project 1")
        #expect(try await cache.value(for: "default") { "project 3" } == "project 1")
        #expect(held.runs.load(ordering: .relaxed) == 1)
    }

    @Test("a lookup that began before removeAll keeps nothing: the next request looks up afresh")
    func removeAllDropsALookupUnderWay() async throws {
        let cache = ExpiringCache<String, String>(lifetime: .seconds(3600))
        let held = HeldLookup()
        let first = await held.begin(in: cache, key: "default", finding: "before the write")
        cache.removeAll()
        held.release()
        #expect(try await first.value == "before the write")
        #expect(try await cache.value(for: "default") { "after the write" } == "after the write")
    }

    @Test("a lookup that finds nothing or fails is not kept")
    func missesAndFailuresAreNotKept() async throws {
        struct Unreachable: Error {}
        let cache = ExpiringCache<String, String>(lifetime: .seconds(3600))
        #expect(try await cache.value(for: "gone") { nil } == nil)
        await #expect(throws: Unreachable.self) { try await cache.value(for: "gone") { throw Unreachable() } }
        #expect(try await cache.value(for: "gone") { "found" } == "found")
    }
}
