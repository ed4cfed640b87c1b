/// The body of `POST /v1/organization/projects`.
public struct ProjectCreateRequest: Sendable, Hashable, Codable {
    /// The name: 1–64 characters matching `^([0-9a-zA-Z][ _-]?)+$`, unique per account.
    public var name: String
    /// Tags to attach (cost allocation, ownership).
    public var tags: [String: String]
    /// The data-retention mode; the account's when nil.
    public var dataRetention: DataRetentionMode?

    /// A create request.
    public init(name: String, tags: [String: String] = [:], dataRetention: DataRetentionMode? = nil) {
        self.name = name
        self.tags = tags
        self.dataRetention = dataRetention
    }

    /// Checks the name against the CloudFormation constraints of `AWS::BedrockMantle::Project`.
    public func validate() throws(MantleError) {
        try ProjectCreateRequest.validateName(name)
    }

    /// Throws when `name` is not 1–64 characters matching `^([0-9a-zA-Z][ _-]?)+$`.
    static func validateName(_ name: String) throws(MantleError) {
        var previousWasSeparator = true  // the name must start with a letter or digit
        var valid = !name.isEmpty && name.unicodeScalars.count <= 64
        for scalar in name.unicodeScalars where valid {
            let alphanumeric = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
            if alphanumeric {
                previousWasSeparator = false
            } else if scalar == " " || scalar == "_" || scalar == "-" {
                valid = !previousWasSeparator
                previousWasSeparator = true
            } else {
                valid = false
            }
        }
        if !valid {
            throw .invalidRequest(
                param: "name",
                "project name must be 1 to 64 characters of letters and digits, each optionally followed by one space, '_' or '-'"
            )
        }
    }

    private struct Retention: Codable { var mode: DataRetentionMode }
    private enum CodingKeys: String, CodingKey {
        case name, tags
        case dataRetention = "data_retention"
    }

    /// Reads a create body.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        tags = try container.decodeIfPresent([String: String].self, forKey: .tags) ?? [:]
        dataRetention = try container.decodeIfPresent(Retention.self, forKey: .dataRetention)?.mode
    }

    /// Writes `{"name","tags","data_retention":{"mode"}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(tags, forKey: .tags)
        if let dataRetention { try container.encode(Retention(mode: dataRetention), forKey: .dataRetention) }
    }
}

/// One change to a project (`POST /v1/organization/projects/{id}`).
///
/// Mantle's recorded calls change one thing at a time, and tags can only be added or removed (no
/// call replaces the whole set), so a modification is one of these cases.
public enum ProjectModification: Sendable, Hashable, Encodable {
    /// `{"name":…}`.
    case rename(String)
    /// `{"add_tags":{…}}`.
    case addTags([String: String])
    /// `{"remove_tag_keys":[…]}`.
    case removeTagKeys([String])

    private enum CodingKeys: String, CodingKey {
        case name
        case addTags = "add_tags"
        case removeTagKeys = "remove_tag_keys"
    }

    /// Writes the one field of the change.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .rename(let name): try container.encode(name, forKey: .name)
        case .addTags(let tags): try container.encode(tags, forKey: .addTags)
        case .removeTagKeys(let keys): try container.encode(keys, forKey: .removeTagKeys)
        }
    }

    /// Checks a new name; tag changes need no check.
    public func validate() throws(MantleError) {
        if case .rename(let name) = self { try ProjectCreateRequest.validateName(name) }
    }
}

/// One page of `GET /v1/organization/projects`.
public struct ProjectList: Sendable, Hashable {
    /// The projects on this page.
    public var projects: [MantleProject]
    /// Whether more pages follow (when Mantle says so).
    public var hasMore: Bool
    /// The id to pass as `after` for the next page.
    public var lastID: String?
}
