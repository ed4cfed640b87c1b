import Foundation
public import HTTPClient
public import Logging
public import LonghaulCore
import Mantle
import Telemetry
import Tracing

/// Sends due webhook deliveries: claims them under a lease, checks each destination against the
/// SSRF policy, signs the stored body (Standard Webhooks), POSTs it pinned to the checked
/// address, and writes the attempts in batches. Failures retry on the configured schedule.
public struct Deliverer: Sendable {
    let store: DeliveryStore
    let http: HTTPClient
    let resolver: WebhookDestinationResolver
    let configuration: WorkerConfiguration
    let logger: Logger
    let metrics: DeliveryMetrics

    /// A Deliverer sending through `http` (a client of its own: webhook receivers are not Mantle).
    public init(store: DeliveryStore, http: HTTPClient, configuration: WorkerConfiguration, logger: Logger) {
        self.store = store
        self.http = http
        self.resolver = WebhookDestinationResolver(policy: configuration.webhookAddressPolicy)
        self.configuration = configuration
        self.logger = logger
        self.metrics = DeliveryMetrics()
    }

    /// The claim loop. A send cut short at shutdown is released: it comes due again at once.
    func loop() -> ClaimLoop<ClaimedDelivery, DeliveryAttemptResult> {
        let worker = configuration.workerID
        let tracing = JobTracing(enabled: configuration.tracing)
        return ClaimLoop(
            name: "webhook deliveries", concurrency: configuration.deliverConcurrency,
            idleInterval: configuration.deliverIdleInterval, shutdownGrace: configuration.shutdownGrace,
            flushInterval: configuration.flushInterval, flushSize: configuration.flushSize, logger: logger,
            claim: { [store, configuration] limit in
                try await tracing.claimed("webhook.claim", lookup: store.traceContexts(deliveryIDs:)) {
                    try await store.claim(worker: worker, limit: limit, lease: configuration.deliverLease)
                }
            },
            work: { delivery in
                await tracing.span("webhook.deliver", continuing: delivery.traceContext, publicID: delivery.publicID) { span in
                    span?.attributes["longhaul.webhook.event"] = delivery.eventType
                    span?.attributes["longhaul.webhook.attempt"] = delivery.attempt
                    let result = await attempt(delivery)
                    if let status = result.httpStatus { span?.attributes["http.response.status_code"] = status }
                    if result.outcome != .delivered { span?.setStatus(SpanStatus(code: .error, message: result.error)) }
                    return result
                }
            },
            write: { [store, configuration] results in
                try await store.record(results, worker: worker, disableAfter: configuration.webhookDisableAfter)
            })
    }

    /// One attempt of one delivery, from the address check to the classified response.
    public func attempt(_ delivery: ClaimedDelivery) async -> DeliveryAttemptResult {
        let started = Date()
        let clock = ContinuousClock.now
        var result = DeliveryAttemptResult(deliveryID: delivery.id, attempt: delivery.attempt, outcome: .released, startedAt: started, durationMilliseconds: 0)
        func finish(_ outcome: DeliveryAttemptResult.Outcome, error: String? = nil) -> DeliveryAttemptResult {
            result.outcome = outcome
            result.error = error
            result.durationMilliseconds = Int((ContinuousClock.now - clock) / .milliseconds(1))
            metrics.record(outcome, since: clock)
            if case .failed = outcome {
                var failureLogger = logger
                failureLogger[metadataKey: "delivery.id"] = "\(delivery.publicID)"
                failureLogger[metadataKey: "delivery.attempt"] = "\(delivery.attempt)"
                failureLogger.info("webhook attempt failed", metadata: ["status": "\(result.httpStatus.map(String.init) ?? "-")", "error": "\(error ?? "")"])
            }
            return result
        }
        func retry(after retryAfter: Duration? = nil) -> Duration? {
            configuration.webhookSchedule.delay(afterAttempt: delivery.schedulePosition, retryAfter: retryAfter)
        }

        let destination: WebhookDestination
        do {
            destination = try await resolver.resolve(delivery.url)
        } catch {
            // A malformed URL can never succeed; a refused or unresolvable address might after a DNS change.
            return finish(.failed(retryIn: error.kind == .invalidURL ? nil : retry()), error: error.message)
        }
        result.address = destination.address.description
        let timestamp = Int64(Date().timeIntervalSince1970)
        let signature: String
        let secrets: [String]
        do {
            secrets = try await AWSStoredSecrets.resolve(delivery.secrets, transport: http).map(\.exposedValue)
        } catch {
            return finish(.failed(retryIn: retry()), error: "the signing secret: \(error.message)")
        }
        do {
            signature = try WebhookSigner.signature(id: delivery.publicID, timestamp: timestamp, body: delivery.body, secrets: secrets)
        } catch {
            return finish(.failed(retryIn: retry()), error: "\(error)")
        }
        let request = HTTPRequest(
            method: .post, url: delivery.url,
            headers: HTTPHeaders(dictionaryLiteral:
                ("content-type", "application/json"), ("user-agent", Self.userAgent), ("webhook-id", delivery.publicID),
                ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature)
            ).tracing(),
            body: delivery.body, timeout: configuration.webhookTimeout,
            connectTimeout: min(configuration.webhookConnectTimeout, configuration.webhookTimeout),
            maxResponseBytes: 1 << 20, pinnedAddress: destination.address.description)
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch let error as HTTPClientError where error.kind == .cancelled || Task.isCancelled {
            return finish(.released, error: "the deliverer stopped before the receiver answered; the delivery will be sent again")
        } catch {
            return finish(.failed(retryIn: retry()), error: "\(error)")
        }
        result.httpStatus = response.status
        result.responseBody = response.body.isEmpty ? nil : String(decoding: response.body.prefix(1024), as: UTF8.self)
        switch response.status {
        case 200..<300:
            return finish(.delivered)
        case 410:
            return finish(.gone, error: "the receiver answered 410 Gone: the endpoint is disabled and gets no more deliveries")
        case 300..<400:
            let location = response.headers["location"].map { " to \(WebhookDestinationResolver.redactedURL(String($0.prefix(500))))" } ?? ""
            return finish(
                .failed(retryIn: retry()),
                error: "the receiver answered \(response.status), a redirect\(location); redirects are never followed: update the endpoint URL")
        case 429, 503:
            return finish(
                .failed(retryIn: retry(after: RetryAfter.parse(response.headers, now: Date()))),
                error: "the receiver answered \(response.status) (throttled)")
        default:
            return finish(.failed(retryIn: retry()), error: "the receiver answered \(response.status)")
        }
    }

    /// Sent with every webhook, so receivers can tell Longhaul's requests apart.
    static let userAgent = "Longhaul-Webhooks/1.0"
}

extension HTTPHeaders {
    /// These headers with the current span's `traceparent` (the `webhook.deliver` span, so the
    /// receiver's spans join the job's trace); unchanged when no span is current.
    func tracing() -> HTTPHeaders {
        guard let parent = ServiceContext.current?.traceParent else { return self }
        var headers = self
        headers["traceparent"] = parent.description
        return headers
    }
}
