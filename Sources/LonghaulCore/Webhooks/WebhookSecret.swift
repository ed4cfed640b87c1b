import Foundation

/// Standard Webhooks signing secrets: `whsec_` followed by the base64 of 32 random bytes.
public enum WebhookSecret {
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }
}
