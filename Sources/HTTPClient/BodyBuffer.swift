import Foundation

/// What a streamed body holds between the owner thread, which writes what libcurl received, and
/// the task that reads it: a pure state machine, so the pause and resume rules are testable
/// without sockets.
///
/// Backpressure: past `highWater` buffered bytes the owner thread pauses the transfer (libcurl
/// keeps the refused bytes and delivers them again on resume), and the reader asks for a resume
/// once it has taken the buffer. 256 KiB per stream keeps 2,000 slow readers under 512 MiB, while
/// a model's stream (tens of bytes per token) never gets near it.
struct BodyBuffer {
    /// What `push` tells the write callback.
    enum PushAction: Equatable {
        /// Keep the bytes; the transfer goes on.
        case accepted
        /// Refuse the bytes and pause the transfer until the reader has caught up.
        case pause
        /// The reader is gone: abort the transfer.
        case abort
    }

    /// What the reader gets from `take`.
    enum TakeAction {
        /// Bytes, and whether the reader must ask the owner thread to resume the transfer.
        case bytes(Data, resume: Bool)
        /// The body ended normally.
        case end
        /// The transfer failed.
        case failed(HTTPClientError)
        /// Nothing yet: wait.
        case wait
    }

    let highWater: Int
    private var chunks: [Data] = []
    private var buffered = 0
    private(set) var paused = false
    private var ending: HTTPClientError?? = nil
    /// The reader dropped the stream; later bytes abort the transfer.
    private(set) var abandoned = false

    init(highWater: Int = 256 << 10) {
        self.highWater = highWater
    }

    /// Whether the body has ended (normally or not) — nothing more will be pushed.
    var isFinished: Bool { ending != nil }

    /// Whether `take` would return something other than `.wait`.
    var isReadable: Bool { !chunks.isEmpty || ending != nil }

    /// Bytes from libcurl's write callback.
    mutating func push(_ bytes: UnsafeRawBufferPointer) -> PushAction {
        if abandoned { return .abort }
        if buffered > 0 && buffered + bytes.count > highWater {
            paused = true
            return .pause
        }
        chunks.append(Data(bytes))
        buffered += bytes.count
        return .accepted
    }

    /// The transfer ended: nil for a complete body, else why not. Only the first call counts.
    mutating func finish(_ error: HTTPClientError?) {
        guard ending == nil else { return }
        ending = .some(error)
        paused = false
    }

    /// Takes everything buffered, or the end once the buffer is empty.
    mutating func take() -> TakeAction {
        if !chunks.isEmpty {
            let data = chunks.count == 1 ? chunks[0] : chunks.reduce(into: Data(capacity: buffered)) { $0.append($1) }
            chunks.removeAll(keepingCapacity: true)
            buffered = 0
            let resume = paused
            paused = false
            return .bytes(data, resume: resume)
        }
        switch ending {
        case .none: return .wait
        case .some(.none): return .end
        case .some(.some(let error)): return .failed(error)
        }
    }

    /// The reader is gone: drop what is buffered.
    mutating func abandon() {
        abandoned = true
        chunks = []
        buffered = 0
    }
}
