/// A Mantle project as the simulator keeps it and returns it (`object: organization.project`).
struct ProjectObject: Encodable, Sendable {
    enum Status: String, Encodable, Sendable { case active, archived }

    let id: String
    var name: String
    let arn: String
    let createdAt: Int
    var status: Status
    var archivedAt: Int?
    var tags: [String: String]
    let dataRetentionMode: String

    private enum Keys: String, CodingKey {
        case arn
        case createdAt = "created_at"
        case archivedAt = "archived_at"
        case dataRetention = "data_retention"
        case id, name, object, status, tags
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(arn, forKey: .arn)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(archivedAt, forKey: .archivedAt)
        try c.encode(["mode": dataRetentionMode], forKey: .dataRetention)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode("organization.project", forKey: .object)
        try c.encode(status, forKey: .status)
        try c.encode(tags, forKey: .tags)
    }

    /// Mantle's name rule (CloudFormation `AWS::BedrockMantle::Project`): 1–64 characters matching
    /// `^([0-9a-zA-Z][ _-]?)+$`.
    static func isValidName(_ name: String) -> Bool {
        guard (1...64).contains(name.count) else { return false }
        var previousWasSeparator = true  // the first character must be alphanumeric
        for ch in name {
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                previousWasSeparator = false
            } else if ch == " " || ch == "_" || ch == "-" {
                if previousWasSeparator { return false }
                previousWasSeparator = true
            } else {
                return false
            }
        }
        return true
    }

    static let nameRule =
        "Invalid 'name': use 1 to 64 letters, digits, spaces, '_' or '-', starting with a letter or digit and with no two separators in a row."
}
