public import Foundation

/// Secrets other than Bedrock keys kept in Parameter Store or Secrets Manager — webhook signing
/// secrets — read as Bedrock keys kept there are: the same references (`ssm:NAME_OR_ARN`,
/// `secretsmanager:ID_OR_ARN[#KEY]`), the default chain's credentials, the process-wide cache
/// (`AWSStoredKeyCache`, 13 minutes), and values that stay `MantleSecret`s until used.
public enum AWSStoredSecrets {
    /// Whether `text` names a secret kept in AWS rather than being one.
    public static func isReference(_ text: String) -> Bool {
        // Most secrets are `whsec_…`: decided without parsing.
        let scheme = text.prefix(while: { $0 != ":" }).lowercased()
        guard scheme == "ssm" || scheme == "secretsmanager" else { return false }
        return switch try? MantleCredential(reference: text) {
        case .parameterStore?, .secretsManager?: true
        default: false
        }
    }

    /// `secrets` with every reference replaced by the value it names (others as they are), in order.
    /// A reference that cannot be read throws, naming the reference and never a value.
    public static func resolve(
        _ secrets: [String], environment: [String: String] = ProcessInfo.processInfo.environment, transport: any MantleTransport
    ) async throws(MantleError) -> [MantleSecret] {
        var resolved: [MantleSecret] = []
        for secret in secrets {
            guard isReference(secret) else {
                resolved.append(MantleSecret(secret))
                continue
            }
            let provider = try MantleCredentialProvider(try MantleCredential(reference: secret), environment: environment, transport: transport)
            resolved.append(try await provider.token())
        }
        return resolved
    }
}
