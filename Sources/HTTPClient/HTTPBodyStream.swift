public import Foundation

/// The body of a streamed response as an asynchronous sequence of byte chunks.
///
/// A chunk holds everything that arrived since the last one was taken, so a slow reader gets
/// fewer, larger chunks. The sequence ends after the last byte, or throws an `HTTPClientError`:
/// `.idleTimeout` when no byte came for the request's `idleTimeout`, `.connectionReset` when the
/// peer cut the stream, `.cancelled` when the reading task was cancelled. Iterate it once.
/// Dropping the stream before its end closes the transfer.
public final class HTTPBodyStream: AsyncSequence, Sendable {
    public typealias Element = Data

    private let transfer: Transfer
    private let loop: TransferLoop

    init(transfer: Transfer, loop: TransferLoop) {
        self.transfer = transfer
        self.loop = loop
    }

    deinit {
        if transfer.channel?.abandon() == true { loop.cancel(transfer) }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(stream: self) }

    /// Reads chunks; holds the stream, so the transfer lives as long as the iterator.
    public struct Iterator: AsyncIteratorProtocol {
        let stream: HTTPBodyStream

        public mutating func next() async throws -> Data? {
            try await stream.next()
        }
    }

    private func next() async throws -> Data? {
        guard let channel = transfer.channel else { return nil }
        let loop = self.loop
        let transfer = self.transfer
        while true {
            switch channel.take() {
            case .bytes(let data, let resume):
                if resume { loop.resume(transfer) }
                return data
            case .end:
                return nil
            case .failed(let error):
                throw error
            case .wait:
                try Task.checkCancellation(orThrow: transfer)
                await withTaskCancellationHandler {
                    await channel.waitUntilReadable()
                } onCancel: {
                    loop.cancel(transfer)
                }
            }
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Throws `.cancelled` for `transfer` when the current task is cancelled.
    fileprivate static func checkCancellation(orThrow transfer: Transfer) throws(HTTPClientError) {
        guard isCancelled else { return }
        throw HTTPClientError(
            kind: .cancelled, message: "the stream from \(transfer.request.hostAndPort) was cancelled by its task",
            url: transfer.request.redactedURL)
    }
}
