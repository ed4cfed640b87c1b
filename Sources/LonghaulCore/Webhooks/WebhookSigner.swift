import Hashing
public import Foundation

/// Signs a webhook the Standard Webhooks way: HMAC-SHA256 over `{id}.{timestamp}.{body}` with
/// each secret, as `v1,<base64>` entries separated by spaces (the current secret first).
public enum WebhookSigner {
    /// The `webhook-signature` header value for `body` sent as message `id` at `timestamp`
    /// (integer Unix seconds of this attempt). Secrets that are not valid base64 are skipped;
    /// throws `WebhookSigningError` when none is usable.
    public static func signature(id: String, timestamp: Int64, body: Data, secrets: [String]) throws -> String {
        var prefix = Data("\(id).\(timestamp).".utf8)
        prefix.append(body)
        let entries = secrets.compactMap { secret -> String? in
            guard let key = WebhookSecret.keyBytes(secret) else { return nil }
            let mac = HMACSHA256.authenticationCode(for: prefix, key: key)
            return "v1," + Data(mac).base64EncodedString()
        }
        guard !entries.isEmpty else { throw WebhookSigningError() }
        return entries.joined(separator: " ")
    }
}

/// No usable signing secret: every stored secret failed to decode. Names no secret.
public struct WebhookSigningError: Error, CustomStringConvertible {
    public init() {}

    /// What happened and what to do about it.
    public var description: String {
        "the webhook signing secret is not valid base64 after its whsec_ prefix; rotate it with `longhaul webhooks rotate-secret`"
    }
}
