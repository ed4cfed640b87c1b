/// Body of `POST /v1/organization/projects`.
struct CreateProjectRequest: Decodable, Sendable {
    enum RetentionMode: String, Decodable, Sendable {
        case inherit, `default`, none
        case providerDataShare = "provider_data_share"
    }

    struct DataRetention: Decodable, Sendable { let mode: RetentionMode }

    let name: String?
    let tags: [String: String]?
    let dataRetention: DataRetention?

    enum CodingKeys: String, CodingKey {
        case name, tags
        case dataRetention = "data_retention"
    }
}
