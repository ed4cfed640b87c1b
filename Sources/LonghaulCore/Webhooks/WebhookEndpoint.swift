public import Foundation

/// A URL a project's events are sent to, with the events it wants and whether it still gets them.
public struct WebhookEndpoint: Sendable, Equatable, Codable {
    /// `we_…`.
    public var publicID: String
    public var projectID: Int64
    public var url: String
    /// The events it receives; empty means every event.
    public var eventTypes: [WebhookEventType]
    /// Whether job events carry the summary text (when the payload stays under 20 KB).
    public var includeResult: Bool
    public var enabled: Bool
    /// Why it was disabled: by hand, a 410 from the receiver, or days of failures.
    public var disabledReason: String?
    /// When the run of failures that continues now began; nil after a success.
    public var failingSince: Date?
    public var createdAt: Date
}

/// A signing secret just created: shown once to the person who asked, never logged.
public struct IssuedWebhookSecret: Sendable {
    /// `whsec_…`.
    public var secret: String
    /// Until when the secret it replaced keeps signing alongside it (nil for a new endpoint).
    public var previousExpiresAt: Date?
}
