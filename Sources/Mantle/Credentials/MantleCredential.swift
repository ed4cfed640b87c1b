/// How a project authenticates to Mantle, as a reference that holds no secret.
///
/// The database stores `reference` (`env:NAME`, `file:PATH`, `aws`, `aws:PROFILE`, `ssm:NAME`,
/// `secretsmanager:ID[#KEY]`), never a key; `MantleCredentialProvider` resolves it to a bearer
/// token when a request is made.
public enum MantleCredential: Sendable, Hashable, CustomStringConvertible {
    /// A Bedrock API key read from an environment variable (e.g. `AWS_BEARER_TOKEN_BEDROCK`).
    case apiKeyEnvironment(variable: String)
    /// A Bedrock API key read from a file (surrounding whitespace ignored; re-read when the cache expires).
    case apiKeyFile(path: String)
    /// A Bedrock API key held in memory (the in-process simulator, tests). It has no `reference`.
    case apiKey(MantleSecret)
    /// Short-term keys minted from AWS credentials, resolved by the AWS SDKs' chain
    /// (`AWSCredentialChain`): environment, profiles with assume-role and `credential_process`,
    /// web identity, container credentials, instance metadata. A named profile skips the
    /// environment's keys.
    case awsShortTerm(profile: String?)
    /// A Bedrock API key in an SSM Parameter Store parameter (a name such as `/longhaul/team-a/key`
    /// or an ARN), read with decryption using the default AWS credential chain.
    case parameterStore(name: String)
    /// A Bedrock API key in Secrets Manager (a name or ARN), the whole `SecretString` or, with
    /// `jsonKey`, one key of a JSON secret; read using the default AWS credential chain.
    case secretsManager(id: String, jsonKey: String?)

    /// Parses a stored reference: `env:NAME`, `file:PATH`, `aws`, `aws:PROFILE`, `ssm:NAME` or
    /// `secretsmanager:ID[#KEY]`.
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
        case ("ssm", let name?) where Self.isSecretName(name):
            self = .parameterStore(name: String(name))
        case ("ssm", _):
            throw .credential("credential reference 'ssm:…' needs a parameter name or ARN (e.g. ssm:/longhaul/team-a/bedrock-key)")
        case ("secretsmanager", let rest?) where Self.isSecretName(rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]):
            let parts = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts.count > 1 ? String(parts[1]) : nil
            if key?.isEmpty == true { throw .credential("credential reference 'secretsmanager:ID#KEY' needs a key after '#'") }
            self = .secretsManager(id: String(parts[0]), jsonKey: key)
        case ("secretsmanager", _):
            throw .credential("credential reference 'secretsmanager:…' needs a secret name or ARN (e.g. secretsmanager:longhaul/team-a#api_key)")
        default:
            // Never echo the text: a user may have pasted the key itself here.
            throw .credential(
                "credential reference must be env:NAME, file:PATH, aws, aws:PROFILE, ssm:NAME or secretsmanager:ID[#KEY] "
                    + "(the database stores references, not keys)"
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
        case .parameterStore(let name): "ssm:\(name)"
        case .secretsManager(let id, nil): "secretsmanager:\(id)"
        case .secretsManager(let id, let key?): "secretsmanager:\(id)#\(key)"
        }
    }

    /// The reference, or `<in-memory key>`; never a secret.
    public var description: String { reference ?? "<in-memory key>" }

    /// Parameter and secret names and ARNs: no whitespace, no `#`, printable ASCII.
    private static func isSecretName(_ name: Substring) -> Bool {
        !name.isEmpty && name.count <= 2048 && name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value < 127 && $0 != "#" }
    }

    private static func isEnvironmentName(_ name: Substring) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}
