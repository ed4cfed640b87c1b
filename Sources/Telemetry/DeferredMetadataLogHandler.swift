public import Logging

/// A log handler whose metadata is kept aside and handed to `Base` only when a record is written.
///
/// swift-log's `StreamLogHandler` formats its whole metadata each time a key is set, and
/// Hummingbird sets a request id on every request's logger, logged or not: 2 % of the API
/// server's CPU under `bench/api.sh` (`perf`), for lines almost no request writes. Here a set is
/// a dictionary write, and the formatting happens once per record written.
public struct DeferredMetadataLogHandler<Base: LogHandler>: LogHandler {
    private var base: Base
    public var metadata: Logger.Metadata = [:]

    public init(_ base: Base) {
        self.base = base
        metadata = base.metadata
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var handler = base
        handler.metadata = metadata
        handler.log(event: event)
    }
}
