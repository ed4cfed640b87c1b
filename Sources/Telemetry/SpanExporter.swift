import Foundation
public import HTTPClient
public import Logging
public import ServiceLifecycle
import Synchronization

/// Sends finished spans to an OTLP/HTTP collector (`POST …/v1/traces`, protobuf) in batches,
/// as OpenTelemetry's batch span processor does: every `scheduleDelay`, at once when
/// `maxBatchSize` are waiting, and once more at shutdown. A span never waits on the network;
/// past `maxQueueSize` waiting spans new ones are dropped (and counted in a warning), so a
/// collector outage costs memory bounded by the queue, not the jobs' progress.
public final class SpanExporter: Service, Sendable {
    private let configuration: TelemetryConfiguration
    private let http: HTTPClient
    private let logger: Logger
    private let pending = Mutex<(spans: [FinishedSpan], dropped: Int)>(([], 0))
    private let wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    public init(configuration: TelemetryConfiguration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    func add(_ span: FinishedSpan) {
        let count = pending.withLock { pending -> Int in
            guard pending.spans.count < configuration.maxQueueSize else {
                pending.dropped += 1
                return 0
            }
            pending.spans.append(span)
            return pending.spans.count
        }
        if count >= configuration.maxBatchSize { wake.continuation.yield() }
    }

    func flushSoon() {
        wake.continuation.yield()
    }

    /// Exports until graceful shutdown, then exports what is left.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                // A full batch or a flush exports at once, between the schedule's ticks.
                // Never export from a cancelled task (a graceful shutdown cancels this group): the
                // HTTP client gives up a cancelled task's request, and the spans it took would be
                // lost; the export after the group sends them instead.
                group.addTask {
                    for await _ in self.wake.stream where !Task.isCancelled { await self.exportPending() }
                }
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.configuration.scheduleDelay)
                    if Task.isCancelled { break }
                    await self.exportPending()
                }
                group.cancelAll()
            }
        }
        wake.continuation.finish()
        await exportPending()
    }

    /// Sends everything waiting, a batch at a time.
    func exportPending() async {
        while true {
            let (batch, dropped) = pending.withLock { pending -> ([FinishedSpan], Int) in
                let batch = Array(pending.spans.prefix(configuration.maxBatchSize))
                pending.spans.removeFirst(batch.count)
                defer { pending.dropped = 0 }
                return (batch, pending.dropped)
            }
            if dropped > 0 {
                logger.warning("dropped \(dropped) spans: the export queue was full (\(configuration.maxQueueSize)); is the collector reachable?")
            }
            guard !batch.isEmpty else { return }
            guard await send(batch) else { return }
        }
    }

    /// False when the send was cancelled (shutdown began mid-send): the batch goes back to the
    /// front of the queue for the final export, instead of being lost.
    private func send(_ batch: [FinishedSpan]) async -> Bool {
        let body = OTLPTraceRequest.encode(batch, resource: configuration.resource, scope: "longhaul")
        var headers = configuration.headers
        headers["content-type"] = "application/x-protobuf"
        let request = HTTPRequest(
            method: .post, url: configuration.tracesEndpoint, headers: headers, body: Data(body), timeout: configuration.timeout,
            maxResponseBytes: 64 << 10)
        do {
            let response = try await http.send(request)
            if !(200..<300).contains(response.status) {
                logger.warning(
                    "the OTLP collector refused \(batch.count) spans",
                    metadata: ["status": "\(response.status)", "endpoint": "\(configuration.tracesEndpoint)"])
            }
        } catch let error as HTTPClientError where error.kind == .cancelled {
            pending.withLock { $0.spans.insert(contentsOf: batch, at: 0) }
            return false
        } catch {
            logger.warning(
                "sending \(batch.count) spans to the OTLP collector failed; they are dropped",
                metadata: ["error": "\(error)", "endpoint": "\(configuration.tracesEndpoint)"])
        }
        return true
    }
}
