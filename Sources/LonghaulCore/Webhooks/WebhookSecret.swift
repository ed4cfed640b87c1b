public import Foundation

/// Standard Webhooks signing secrets: `whsec_` followed by the base64 of 32 random bytes.
///
/// The prefix matters: `standardwebhooks` and `svix` strip it and base64-decode the rest, while
/// the OpenAI SDK uses a secret without it as raw bytes, so a prefixed secret verifies everywhere.
public enum WebhookSecret {
    /// The prefix every secret carries.
    public static let prefix = "whsec_"

    /// A fresh secret from the system's cryptographic random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
    }

    /// The key bytes of `secret` (with or without the prefix; padding optional), or nil when the
    /// rest is not base64. Never echoes the secret, so callers can report the failure safely.
    public static func keyBytes(_ secret: String) -> Data? {
        var encoded = secret.hasPrefix(prefix) ? String(secret.dropFirst(prefix.count)) : secret
        while encoded.utf8.count % 4 != 0 { encoded += "=" }
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else { return nil }
        return key
    }
}
