import Foundation
import Hashing

/// API token secrets: `lh_` and the unpadded base64url of 32 random bytes (43 characters).
///
/// Only the SHA-256 of a secret is stored: 256 random bits need no salt or slow hash, since
/// nobody can search that space, and a plain hash lets `authenticate` find the row by index.
public enum TokenSecret {
    static let prefix = "lh_"
    static let encodedLength = 43

    /// A fresh API token secret.
    static func generate() -> String {
        generate(prefix: prefix)
    }

    /// `prefix` and 32 bytes from the system's cryptographic random source, unpadded base64url
    /// (also the dashboard's session secrets and CSRF tokens).
    public static func generate(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// Whether `text` has the shape of a secret (cheap check before any database lookup).
    static func isWellFormed(_ text: String) -> Bool {
        guard text.hasPrefix(prefix), text.utf8.count == prefix.utf8.count + encodedLength else { return false }
        return text.utf8.dropFirst(prefix.utf8.count).allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 95
        }
    }

    /// The digest stored in `api_tokens.token_sha256`.
    static func digest(_ secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }
}
