import Foundation
import Logging
import Telemetry

/// Sets up swift-log once per process: readable text or one JSON object per line, on stderr.
enum LoggingSetup {
    static func bootstrap(_ options: GlobalOptions, defaultLevel: Logger.Level = .info) {
        bootstrap(level: options.logLevel ?? defaultLevel, format: options.logFormat)
    }

    static func bootstrap(level: Logger.Level, format: GlobalOptions.LogFormat) {
        // Log lines written inside a traced span carry its trace, span and job ids (`.trace`).
        LoggingSystem.bootstrap(
            { label, provider in
                var handler: any LogHandler =
                    format == .json
                    ? JSONLogHandler(label: label, metadataProvider: provider)
                    : DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label, metadataProvider: provider))
                handler.logLevel = level
                return handler
            }, metadataProvider: .trace)
    }
}

/// Writes each log record as one JSON line on stderr (for log collectors).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [
            "time": Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date()),
            "level": event.level.rawValue, "label": label, "message": "\(event.message)",
        ]
        let provided = metadataProvider?.get() ?? [:]
        for (key, value) in provided.merging(metadata, uniquingKeysWith: { $1 }).merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = "\(value)"
        }
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }
}
