/// One entry of `GET /v1/models`: `{"id","object":"model","created","owned_by"}`.
public struct MantleModelInfo: Sendable, Hashable, Codable {
    /// The model id to send as `model`.
    public var id: String
    /// Who publishes the model.
    public var ownedBy: String?
    /// Unix seconds of publication.
    public var created: Double?

    /// A model entry.
    public init(id: String, ownedBy: String? = nil, created: Double? = nil) {
        self.id = id
        self.ownedBy = ownedBy
        self.created = created
    }

    /// The capabilities this client recognises for the model.
    public var capabilities: MantleModelCapabilities { MantleModel.capabilities(of: id) }

    private enum CodingKeys: String, CodingKey {
        case id, created
        case ownedBy = "owned_by"
    }

    /// Reads an entry; a `created` of an unexpected type is ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        ownedBy = try? container.decodeIfPresent(String.self, forKey: .ownedBy)
        created = try? container.decodeIfPresent(Double.self, forKey: .created)
    }
}

/// The `{"object":"list","data":[…]}` envelope of list answers.
struct ListEnvelope<Element: Decodable>: Decodable {
    var data: [Element]
    var hasMore: Bool?
    var lastID: String?

    enum CodingKeys: String, CodingKey {
        case data
        case hasMore = "has_more"
        case lastID = "last_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        data = try container.decodeIfPresent([Element].self, forKey: .data) ?? []
        hasMore = try? container.decodeIfPresent(Bool.self, forKey: .hasMore)
        lastID = try? container.decodeIfPresent(String.self, forKey: .lastID)
    }
}
