public import Foundation

/// A delivery the Deliverer claimed: what to send, where, signed with which secrets.
public struct ClaimedDelivery: Sendable {
    public var id: Int64
    /// The `webhook-id`: the same on every attempt and redelivery.
    public var publicID: String
    public var projectID: Int64
    /// The endpoint's public id; nil for a per-job or per-batch URL.
    public var endpointID: String?
    public var url: String
    public var eventType: String
    /// The exact bytes to sign and send.
    public var body: Data
    /// This attempt's number (counting every attempt the delivery ever had).
    public var attempt: Int
    /// Which attempt of the current schedule this is (1 for the first).
    public var schedulePosition: Int
    /// The current secret first, then the previous one while it still signs. Never logged.
    public var secrets: [String]
    /// The job's stored W3C `traceparent`, filled in after the claim only while tracing is on.
    public var traceContext: String? = nil
}

/// What one attempt came to, for the store to record.
public struct DeliveryAttemptResult: Sendable, Equatable {
    /// How the attempt ended.
    public enum Outcome: Sendable, Equatable {
        /// A 2xx: delivered.
        case delivered
        /// Failed; try again after the delay, or give up when nil.
        case failed(retryIn: Duration?)
        /// 410 Gone: the delivery fails and the endpoint is disabled.
        case gone
        /// The worker stopped mid-send: the delivery comes due again at once.
        case released
    }

    public var deliveryID: Int64
    public var attempt: Int
    public var outcome: Outcome
    public var startedAt: Date
    public var durationMilliseconds: Int
    public var httpStatus: Int?
    /// The start of the response body, at most 1 KB.
    public var responseBody: String?
    public var error: String?
    /// The address connected to, after the SSRF check.
    public var address: String?

    public init(
        deliveryID: Int64, attempt: Int, outcome: Outcome, startedAt: Date, durationMilliseconds: Int, httpStatus: Int? = nil,
        responseBody: String? = nil, error: String? = nil, address: String? = nil
    ) {
        self.deliveryID = deliveryID
        self.attempt = attempt
        self.outcome = outcome
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.httpStatus = httpStatus
        self.responseBody = responseBody
        self.error = error
        self.address = address
    }
}
