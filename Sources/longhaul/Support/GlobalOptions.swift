public import ArgumentParser
public import Logging

/// Options every command shares; the environment supplies defaults and flags override.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "PostgreSQL URL or conninfo (default: $DATABASE_URL, else the embedded database under $LONGHAUL_HOME).")
    var databaseURL: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical (default: info; warning for batch).")
    var logLevel: Logger.Level?

    @Option(name: .long, help: "Log format: text or json.")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, Sendable {
        case text, json
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
