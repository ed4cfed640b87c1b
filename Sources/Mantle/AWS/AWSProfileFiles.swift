/// The profiles of the AWS shared `config` and `credentials` files, read as botocore reads them.
///
/// Both are INI: `[name]` starts a section, `key = value` (or `key: value`) sets a field, keys
/// compared without case, `#` and `;` start comments. In `config` a profile is `[profile NAME]`
/// (`[default]` alone keeps its bare name), and `[services NAME]` / `[sso-session NAME]` are other
/// kinds of section; an indented `key = value` under `sts =` is the nested field `sts.key`. In
/// `credentials` every section is a profile. A field in `credentials` wins over the same field of
/// the same profile in `config`, as in botocore's merged view.
struct AWSProfileFiles: Sendable {
    /// Fields of each profile, keys lowercased, the two files merged.
    private(set) var profiles: [String: [String: String]] = [:]
    /// The names of profiles that have a section in the credentials file.
    private(set) var credentialsFileProfiles: [String: [String: String]] = [:]
    /// Fields of each `[services NAME]` section of the config file.
    private(set) var services: [String: [String: String]] = [:]
    /// Fields of each `[sso-session NAME]` section of the config file.
    private(set) var ssoSessions: [String: [String: String]] = [:]
    /// Where the two files are (whether or not they exist), for messages.
    let configPath: String
    let credentialsPath: String

    init(config: String?, credentials: String?, configPath: String, credentialsPath: String) {
        self.configPath = configPath
        self.credentialsPath = credentialsPath
        for (section, fields) in Self.sections(config ?? "") {
            if section == "default" {
                profiles["default", default: [:]].merge(fields) { $1 }
            } else if let name = Self.named(section, "profile") {
                profiles[name, default: [:]].merge(fields) { $1 }
            } else if let name = Self.named(section, "services") {
                services[name, default: [:]].merge(fields) { $1 }
            } else if let name = Self.named(section, "sso-session") {
                ssoSessions[name, default: [:]].merge(fields) { $1 }
            }
        }
        for (section, fields) in Self.sections(credentials ?? "") {
            credentialsFileProfiles[section, default: [:]].merge(fields) { $1 }
            profiles[section, default: [:]].merge(fields) { $1 }
        }
    }

    /// The profile's merged fields, nil when neither file has it.
    func profile(_ name: String) -> [String: String]? { profiles[name] }

    /// All profile names, sorted, for "profiles there: …" hints.
    var profileNames: [String] { profiles.keys.sorted() }

    /// `profile NAME` → `NAME` for the given kind of section.
    private static func named(_ section: String, _ kind: String) -> String? {
        guard section.hasPrefix(kind), let first = section.dropFirst(kind.count).first, first == " " || first == "\t" else { return nil }
        let name = String(section.dropFirst(kind.count)).trimmingWhitespace
        return name.isEmpty ? nil : name
    }

    /// The sections of an INI text in order, with their fields.
    static func sections(_ text: String) -> [(String, [String: String])] {
        var result: [(String, [String: String])] = []
        var parent: String?  // a key with an empty value: the indented lines below it nest under it
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let indented = rawLine.first == " " || rawLine.first == "\t"
            let line = String(rawLine).trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                result.append((String(line.dropFirst().dropLast()).trimmingWhitespace, [:]))
                parent = nil
                continue
            }
            guard !result.isEmpty, let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = String(line[..<separator]).trimmingWhitespace.lowercased()
            // No inline comments: botocore keeps `a #b` whole, and a secret may hold ` #`.
            let value = String(line[line.index(after: separator)...]).trimmingWhitespace
            if indented, let parent {
                result[result.count - 1].1[parent + "." + key] = value
            } else {
                result[result.count - 1].1[key] = value
                parent = value.isEmpty ? key : nil
            }
        }
        return result
    }
}
