import Logging
import Synchronization
import Telemetry
import Testing

/// Metadata set on a logger reaches the handler it wraps only when a record is written.
@Suite struct DeferredMetadataLogHandlerTests {
    /// What the wrapped handler saw: how often its metadata was set, and each record's metadata.
    final class Seen: Sendable {
        let sets = Mutex(0)
        let records = Mutex<[Logger.Metadata]>([])
    }

    struct Recording: LogHandler {
        let seen: Seen
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:] {
            didSet { seen.sets.withLock { $0 += 1 } }
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            seen.records.withLock { $0.append(metadata.merging(event.metadata ?? [:]) { $1 }) }
        }
    }

    @Test("keys set on a logger cost the wrapped handler nothing until a record, which carries them all")
    func deferred() {
        let seen = Seen()
        var logger = Logger(label: "test") { _ in DeferredMetadataLogHandler(Recording(seen: seen)) }
        logger[metadataKey: "request.id"] = "r1"
        logger[metadataKey: "route"] = "/v1/jobs"
        logger[metadataKey: "route"] = "/v1/batches"
        #expect(seen.sets.withLock { $0 } == 0)
        #expect(logger[metadataKey: "route"] == "/v1/batches")

        logger.debug("below the level: not written")
        logger.info("written", metadata: ["extra": "1"])
        #expect(seen.records.withLock { $0 } == [["request.id": "r1", "route": "/v1/batches", "extra": "1"]])
        #expect(seen.sets.withLock { $0 } == 1)
        logger.logLevel = .debug
        logger.debug("now written")
        #expect(seen.records.withLock { $0.count } == 2)
    }
}
