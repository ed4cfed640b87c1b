public import Foundation

/// A Mantle project (`/v1/organization/projects`): attribution, tags and data retention for the
/// Responses sent with its id in `OpenAI-Project`.
public struct MantleProject: Sendable, Hashable, Codable {
    /// Whether the project takes new inference.
    public enum Status: Sendable, Hashable, Codable, CustomStringConvertible {
        case active
        /// No new inference; data readable for about 30 days.
        case archived
        /// A status added after this client was written.
        case unknown(String)

        /// The wire value.
        public var rawValue: String {
            switch self {
            case .active: "active"
            case .archived: "archived"
            case .unknown(let value): value
            }
        }

        /// Reads any string.
        public init(from decoder: any Decoder) throws {
            switch try decoder.singleValueContainer().decode(String.self) {
            case "active": self = .active
            case "archived": self = .archived
            case let other: self = .unknown(other)
            }
        }

        /// Writes the wire value.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        /// The wire value.
        public var description: String { rawValue }
    }

    /// The project id (`proj_…`, or `default`).
    public var id: String
    /// The project name (1–64 characters, `^([0-9a-zA-Z][ _-]?)+$`, unique per account).
    public var name: String
    /// Active or archived.
    public var status: Status
    /// The Bedrock ARN (`arn:aws:bedrock-mantle:{region}:{account}:project/{id}`).
    public var arn: String?
    /// When it was created.
    public var createdAt: Date?
    /// When it was archived.
    public var archivedAt: Date?
    /// The project's tags (empty when none).
    public var tags: [String: String]
    /// The data-retention mode.
    public var dataRetention: DataRetentionMode?

    /// A project value.
    public init(
        id: String, name: String, status: Status = .active, arn: String? = nil, createdAt: Date? = nil,
        archivedAt: Date? = nil, tags: [String: String] = [:], dataRetention: DataRetentionMode? = nil
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.arn = arn
        self.createdAt = createdAt
        self.archivedAt = archivedAt
        self.tags = tags
        self.dataRetention = dataRetention
    }

    private enum CodingKeys: String, CodingKey {
        case id, object, name, status, arn, tags
        case createdAt = "created_at"
        case archivedAt = "archived_at"
        case dataRetention = "data_retention"
    }

    private struct Retention: Codable { var mode: DataRetentionMode? }

    /// Reads Mantle's project object; OpenAI-only and unknown fields are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        status = try container.decodeIfPresent(Status.self, forKey: .status) ?? .active
        arn = try? container.decodeIfPresent(String.self, forKey: .arn)
        createdAt = (try? container.decodeIfPresent(Double.self, forKey: .createdAt))
            .map(Date.init(timeIntervalSince1970:))
        archivedAt = (try? container.decodeIfPresent(Double.self, forKey: .archivedAt))
            .map(Date.init(timeIntervalSince1970:))
        tags = (try? container.decodeIfPresent([String: String].self, forKey: .tags)) ?? [:]
        dataRetention = (try? container.decodeIfPresent(Retention.self, forKey: .dataRetention))?.mode
    }

    /// Writes Mantle's project object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("organization.project", forKey: .object)
        try container.encode(name, forKey: .name)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(arn, forKey: .arn)
        try container.encodeIfPresent(createdAt?.timeIntervalSince1970, forKey: .createdAt)
        try container.encodeIfPresent(archivedAt?.timeIntervalSince1970, forKey: .archivedAt)
        try container.encode(tags, forKey: .tags)
        if let dataRetention { try container.encode(Retention(mode: dataRetention), forKey: .dataRetention) }
    }
}

/// A project's `data_retention.mode`.
public enum DataRetentionMode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Follow the account setting.
    case inherit
    /// The provider's default retention.
    case `default`
    /// Zero data retention.
    case none
    /// Share data with the model provider.
    case providerDataShare
    /// A mode added after this client was written.
    case unknown(String)

    /// The wire value.
    public var rawValue: String {
        switch self {
        case .inherit: "inherit"
        case .default: "default"
        case .none: "none"
        case .providerDataShare: "provider_data_share"
        case .unknown(let value): value
        }
    }

    /// Reads any string.
    public init(from decoder: any Decoder) throws {
        switch try decoder.singleValueContainer().decode(String.self) {
        case "inherit": self = .inherit
        case "default": self = .default
        case "none": self = .none
        case "provider_data_share": self = .providerDataShare
        case let other: self = .unknown(other)
        }
    }

    /// Writes the wire value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The wire value.
    public var description: String { rawValue }
}
