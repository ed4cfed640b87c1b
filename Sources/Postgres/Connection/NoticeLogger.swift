import CLibPQ
import Logging

/// Sends the server's notices and warnings (and libpq's) to the logger at debug level, instead of
/// libpq's default of printing them to stderr.
///
/// The owner keeps this object alive as long as the `PGconn`, since libpq holds an unretained
/// pointer to it. libpq calls it on the thread doing the libpq call, i.e. the connection's queue.
final class NoticeLogger: Sendable {
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// Installs the processor on `connection`.
    func install(on connection: OpaquePointer) {
        PQsetNoticeProcessor(
            connection,
            { context, message in
                guard let context, let message else { return }
                let notices = Unmanaged<NoticeLogger>.fromOpaque(context).takeUnretainedValue()
                notices.logger.debug("postgres.notice", metadata: ["postgres.message": "\(LibPQResult.trimmed(String(cString: message)))"])
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }
}
