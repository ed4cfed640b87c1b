/// How a project authenticates to Mantle, as a reference that holds no secret.
///
/// The database stores `reference` (`env:NAME`, `file:PATH`, `aws`, `aws:PROFILE`), never a key;
/// `MantleCredentialProvider` resolves it to a bearer token when a request is made.
public enum MantleCredential: Sendable, Hashable, CustomStringConvertible {
    /// A Bedrock API key read from an environment variable (e.g. `AWS_BEARER_TOKEN_BEDROCK`).
    case apiKeyEnvironment(variable: String)
    /// A Bedrock API key read from a file (surrounding whitespace ignored; re-read when the cache expires).
    case apiKeyFile(path: String)
    /// A Bedrock API key held in memory (the in-process simulator, tests). It has no `reference`.
    case apiKey(MantleSecret)
    /// Short-term keys minted from AWS credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/
    /// `AWS_SESSION_TOKEN`, else the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE` or
    /// `~/.aws/credentials`) at `AWS_PROFILE` or `default`. A named profile reads only the file.
    case awsShortTerm(profile: String?)

    /// Parses a stored reference: `env:NAME`, `file:PATH`, `aws` or `aws:PROFILE`.
    public init(reference: String) throws(MantleError) {
        let text = reference.trimmingWhitespace
        let (scheme, rest): (Substring, Substring?) =
            if let colon = text.firstIndex(of: ":") {
                (text[..<colon], text[text.index(after: colon)...])
            } else {
                (Substring(text), nil)
            }
        switch (scheme.lowercased(), rest) {
        case ("env", let name?) where Self.isEnvironmentName(name):
            self = .apiKeyEnvironment(variable: String(name))
        case ("env", _):
            throw .credential("credential reference 'env:…' needs a variable name of letters, digits and '_' (e.g. env:AWS_BEARER_TOKEN_BEDROCK)")
        case ("file", let path?) where !path.isEmpty:
            self = .apiKeyFile(path: String(path))
        case ("file", _):
            throw .credential("credential reference 'file:…' needs a path (e.g. file:/etc/longhaul/team-a.key)")
        case ("aws", nil):
            self = .awsShortTerm(profile: nil)
        case ("aws", let profile?) where !profile.isEmpty && !profile.contains(where: { $0 == "[" || $0 == "]" || $0.isNewline }):
            self = .awsShortTerm(profile: String(profile))
        case ("aws", _):
            throw .credential("credential reference 'aws:…' needs a profile name (e.g. aws:prod), or plain 'aws' for the default chain")
        default:
            // Never echo the text: a user may have pasted the key itself here.
            throw .credential(
                "credential reference must be env:NAME, file:PATH, aws or aws:PROFILE (the database stores references, not keys)"
            )
        }
    }

    /// The reference to store, or nil for an in-memory key (which must not be stored).
    public var reference: String? {
        switch self {
        case .apiKeyEnvironment(let variable): "env:\(variable)"
        case .apiKeyFile(let path): "file:\(path)"
        case .apiKey: nil
        case .awsShortTerm(nil): "aws"
        case .awsShortTerm(let profile?): "aws:\(profile)"
        }
    }

    /// The reference, or `<in-memory key>`; never a secret.
    public var description: String { reference ?? "<in-memory key>" }

    private static func isEnvironmentName(_ name: Substring) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}
