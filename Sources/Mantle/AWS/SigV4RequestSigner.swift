import Foundation
import Hashing

/// AWS Signature Version 4 in its header form (`Authorization: AWS4-HMAC-SHA256 …`), as botocore's
/// `SigV4Auth` computes it, for the STS, SSM and Secrets Manager calls.
///
/// Signed: `host`, `x-amz-date`, `x-amz-security-token` when the credentials have one, and every
/// header the caller gives (names lowercased, values trimmed, sorted); the payload hash is the
/// SHA-256 of the body. The canonical URI is the path as given (STS, SSM and Secrets Manager post
/// to `/`); the canonical query sorts the encoded pairs.
struct SigV4RequestSigner {
    var credentials: AWSCredentials
    var region: String
    var service: String

    /// The headers to send: `headers` plus `X-Amz-Date`, `X-Amz-Security-Token` and `Authorization`.
    func sign(method: String, url: String, headers: [(String, String)], body: Data, date: Date) throws(MantleError) -> [(String, String)] {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw .invalidConfiguration("cannot sign a request to '\(url)': not a URL")
        }
        let hostHeader = components.port.map { "\(host):\($0)" } ?? host
        let timestamp = SigV4QueryPresigner.timestamp(date)
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        var all = headers + [("X-Amz-Date", timestamp)]
        if let token = credentials.sessionToken { all.append(("X-Amz-Security-Token", token.exposedValue)) }
        let canonicalHeaders = ([("host", hostHeader)] + all.map { ($0.0.lowercased(), Self.collapse($0.1)) })
            .sorted { $0.0 < $1.0 }
        let signedHeaders = canonicalHeaders.map(\.0).joined(separator: ";")
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        var pairs: [(String, String)] = []
        for item in components.percentEncodedQueryItems ?? [] {
            let name = item.name.removingPercentEncoding ?? item.name
            let value = (item.value ?? "").removingPercentEncoding ?? ""
            pairs.append((SigV4QueryPresigner.percentEncode(name), SigV4QueryPresigner.percentEncode(value)))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        let query = pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let canonicalRequest = [
            method.uppercased(), path, query,
            canonicalHeaders.map { "\($0.0):\($0.1)\n" }.joined(), signedHeaders,
            SigV4QueryPresigner.hex(SHA256.hash(data: body)),
        ].joined(separator: "\n")
        let signature = SigV4QueryPresigner.signature(
            of: canonicalRequest, timestamp: timestamp, scope: scope, secret: credentials.secretAccessKey, region: region, service: service)
        return all + [
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
            )
        ]
    }

    /// Trims a header value and collapses its runs of spaces, as SigV4 canonicalises them.
    static func collapse(_ value: String) -> String {
        value.trimmingWhitespace.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
