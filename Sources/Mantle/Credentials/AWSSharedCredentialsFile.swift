import Foundation

/// The profiles of an AWS shared credentials file (`~/.aws/credentials`), INI as botocore reads it.
///
/// `[name]` starts a profile; `key = value` (or `key: value`) lines set fields, keys compared
/// without case; lines starting with `#` or `;` are comments.
struct AWSSharedCredentialsFile {
    /// Fields per profile name, keys lowercased.
    private(set) var profiles: [String: [String: String]] = [:]

    init(text: String) {
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine).trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = String(line.dropFirst().dropLast()).trimmingWhitespace
                current = name
                profiles[name, default: [:]] = profiles[name, default: [:]]
                continue
            }
            guard let current, let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = String(line[..<separator]).trimmingWhitespace.lowercased()
            let value = String(line[line.index(after: separator)...]).trimmingWhitespace
            profiles[current, default: [:]][key] = value
        }
    }

    /// The credentials of `profile`, or an error that says what is missing from `path`.
    func credentials(profile: String, path: String) throws(MantleError) -> AWSCredentials {
        guard let fields = profiles[profile] else {
            let known = profiles.keys.sorted().joined(separator: ", ")
            throw .credential(
                "profile '\(profile)' is not in \(path)"
                    + (known.isEmpty ? "" : " (profiles there: \(known))")
                    + "; set AWS_PROFILE or use the credential reference aws:PROFILE"
            )
        }
        guard let accessKeyID = fields["aws_access_key_id"], !accessKeyID.isEmpty,
            let secret = fields["aws_secret_access_key"], !secret.isEmpty
        else {
            let indirect = ["role_arn", "credential_process", "sso_session", "sso_start_url"]
                .filter { fields[$0] != nil }
            throw .credential(
                "profile '\(profile)' in \(path) has no aws_access_key_id and aws_secret_access_key"
                    + (indirect.isEmpty
                        ? ""
                        : " (it uses \(indirect.joined(separator: ", ")), which this client does not resolve; export "
                            + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, e.g. from `aws configure export-credentials`)")
            )
        }
        let token = fields["aws_session_token"] ?? fields["aws_security_token"]
        return AWSCredentials(
            accessKeyID: accessKeyID,
            secretAccessKey: MantleSecret(secret),
            sessionToken: token.flatMap { $0.isEmpty ? nil : MantleSecret($0) }
        )
    }
}

/// Resolves AWS credentials the way botocore's default chain does for the sources Longhaul supports.
enum AWSCredentialsLoader {
    /// The largest credentials file read.
    static let maxFileBytes = 1 << 20

    /// Environment variables first (unless a profile is named), then the shared credentials file.
    static func load(profile: String?, environment: [String: String]) async throws(MantleError) -> AWSCredentials {
        if profile == nil, let credentials = try fromEnvironment(environment) { return credentials }
        let profileName = profile ?? nonEmpty(environment["AWS_PROFILE"]) ?? nonEmpty(environment["AWS_DEFAULT_PROFILE"]) ?? "default"
        let path = credentialsFilePath(environment)
        guard let data = try await FileReading.contents(of: path, maxBytes: maxFileBytes) else {
            throw .credential(
                (profile == nil ? "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, and " : "")
                    + "the AWS shared credentials file \(path) does not exist; "
                    + "export the variables or write a [\(profileName)] profile there (AWS_SHARED_CREDENTIALS_FILE moves it)"
            )
        }
        return try AWSSharedCredentialsFile(text: String(decoding: data, as: UTF8.self))
            .credentials(profile: profileName, path: path)
    }

    /// Credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, nil when
    /// neither key variable is set, an error when only one is.
    static func fromEnvironment(_ environment: [String: String]) throws(MantleError) -> AWSCredentials? {
        let accessKeyID = nonEmpty(environment["AWS_ACCESS_KEY_ID"])
        let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"])
        switch (accessKeyID, secret) {
        case (nil, nil):
            return nil
        case (let accessKeyID?, let secret?):
            let token = nonEmpty(environment["AWS_SESSION_TOKEN"]) ?? nonEmpty(environment["AWS_SECURITY_TOKEN"])
            return AWSCredentials(
                accessKeyID: accessKeyID, secretAccessKey: MantleSecret(secret), sessionToken: token.map(MantleSecret.init)
            )
        case (nil, _):
            throw .credential("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both or neither")
        case (_, nil):
            throw .credential("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both or neither")
        }
    }

    /// `AWS_SHARED_CREDENTIALS_FILE` (with `~` expanded), else `$HOME/.aws/credentials`.
    static func credentialsFilePath(_ environment: [String: String]) -> String {
        let home = nonEmpty(environment["HOME"]) ?? NSHomeDirectory()
        if let explicit = nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"]) {
            return explicit.hasPrefix("~/") ? home + explicit.dropFirst() : explicit
        }
        return home + "/.aws/credentials"
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
