/// Body of `POST /v1/organization/projects/{id}`: rename, add tags or remove tag keys.
struct ModifyProjectRequest: Decodable, Sendable {
    let name: String?
    let addTags: [String: String]?
    let removeTagKeys: [String]?

    enum CodingKeys: String, CodingKey {
        case name
        case addTags = "add_tags"
        case removeTagKeys = "remove_tag_keys"
    }
}
