public import Foundation

/// Mints short-term Amazon Bedrock API keys from AWS credentials, locally and without a call.
///
/// The algorithm is the official token generators' (`aws-bedrock-token-generator` for Python and
/// JS, `shared/mantle-api.md` §7): SigV4 query-presign `POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken`
/// for service `bedrock` in the target Region with `X-Amz-Expires`, drop `https://`, append
/// `&Version=1`, base64 the result and prefix `bedrock-api-key-`. The key works only in that
/// Region, for min(lifetime, the credentials' own remaining life).
public enum BedrockTokenMinter {
    /// The prefix of every Bedrock API key minted this way.
    public static let prefix = "bedrock-api-key-"
    /// The longest lifetime the generators allow (12 hours).
    public static let maximumLifetime: Duration = .seconds(43_200)
    /// The signing host; the same for every Region, Mantle included.
    static let host = "bedrock.amazonaws.com"

    /// A key signed at `date`, valid for `lifetime` (whole seconds, 1 s … 12 h).
    public static func mint(
        credentials: AWSCredentials, region: String, date: Date, lifetime: Duration
    ) throws(MantleError) -> MantleSecret {
        let seconds = Int(lifetime.components.seconds)
        guard seconds > 0, lifetime <= maximumLifetime else {
            throw .credential("a short-term Bedrock key lives between 1 second and 12 hours (asked: \(lifetime.formattedSeconds))")
        }
        let presigner = SigV4QueryPresigner(credentials: credentials, region: region, service: "bedrock")
        let url = presigner.presign(
            method: "POST", host: host, path: "/", parameters: [("Action", "CallWithBearerToken")],
            date: date, expiresSeconds: seconds
        )
        let payload = url.dropFirst("https://".count) + "&Version=1"
        return MantleSecret(prefix + Data(payload.utf8).base64EncodedString())
    }
}
