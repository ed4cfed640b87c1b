public import Foundation

/// Where a delivery stands.
public enum DeliveryState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its next attempt (or being sent).
    case pending
    /// A 2xx arrived.
    case succeeded
    /// Every attempt of its schedule failed, or the receiver answered 410.
    case failed
    /// Its endpoint was disabled or removed before it went out.
    case cancelled
}

/// One delivery as the log shows it.
public struct DeliveryRecord: Sendable, Equatable, Codable {
    /// `msg_…`: the `webhook-id`.
    public var publicID: String
    public var project: String
    /// `we_…`, or nil for a per-job or per-batch URL.
    public var endpoint: String?
    public var job: String?
    public var batch: String?
    public var url: String
    public var eventType: String
    public var state: DeliveryState
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var createdAt: Date
    public var finishedAt: Date?
}

/// One attempt of a delivery, as logged.
public struct DeliveryAttemptRecord: Sendable, Equatable, Codable {
    public var attempt: Int
    public var startedAt: Date
    public var durationMilliseconds: Int
    public var httpStatus: Int?
    /// The first kilobyte of the response body.
    public var responseBody: String?
    public var error: String?
    /// The address connected to.
    public var address: String?
}

/// A delivery with its body and every attempt: what `longhaul deliveries show` prints.
public struct DeliveryDetail: Sendable, Equatable, Codable {
    public var delivery: DeliveryRecord
    /// The exact bytes that were signed and sent.
    public var body: String
    public var attempts: [DeliveryAttemptRecord]
}
