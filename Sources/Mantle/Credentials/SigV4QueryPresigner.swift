import Hashing
import Foundation
import MantleModels

/// AWS Signature Version 4 in its query-string ("presigned URL") form, as botocore's
/// `SigV4QueryAuth` computes it.
///
/// Details that decide byte-identity with botocore: operation parameters come first in the URL,
/// then the auth parameters in a fixed order (Algorithm, Credential, Date, Expires, SignedHeaders,
/// Security-Token); values are percent-encoded leaving only `A-Za-z0-9-_.~`; the canonical query
/// sorts the encoded pairs; the only signed header is `host`; the payload hash is SHA-256 of the
/// empty body; the signature is appended last.
struct SigV4QueryPresigner {
    var credentials: AWSCredentials
    var region: String
    var service: String

    /// The presigned `https://host/path?…&X-Amz-Signature=…` URL.
    func presign(
        method: String, host: String, path: String, parameters: [(String, String)], date: Date, expiresSeconds: Int
    ) -> String {
        let timestamp = Self.timestamp(date)
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        var authParameters: [(String, String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"),
            ("X-Amz-Date", timestamp),
            ("X-Amz-Expires", String(expiresSeconds)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken {
            authParameters.append(("X-Amz-Security-Token", token.exposedValue))
        }
        let encoded = (parameters + authParameters).map { (Self.percentEncode($0.0), Self.percentEncode($0.1)) }
        let canonicalQuery = encoded
            .sorted { lhs, rhs in
                lhs.0 == rhs.0 ? Array(lhs.1.utf8).lexicographicallyPrecedes(rhs.1.utf8)
                    : Array(lhs.0.utf8).lexicographicallyPrecedes(rhs.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let emptyPayloadHash = Self.hex(SHA256.hash(data: Data()))
        let canonicalRequest = [
            method.uppercased(), path, canonicalQuery, "host:\(host)", "", "host", emptyPayloadHash,
        ].joined(separator: "\n")
        let signature = Self.signature(
            of: canonicalRequest, timestamp: timestamp, scope: scope, secret: credentials.secretAccessKey, region: region, service: service)
        let query = encoded.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return "https://\(host)\(path)?\(query)&X-Amz-Signature=\(signature)"
    }

    /// The hex signature of a canonical request: its string to sign under the day's derived key
    /// (shared by the query and header forms).
    static func signature(of canonicalRequest: String, timestamp: String, scope: String, secret: MantleSecret, region: String, service: String) -> String {
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope, hex(SHA256.hash(data: Data(canonicalRequest.utf8)))].joined(separator: "\n")
        let key = signingKey(secret: secret, day: String(timestamp.prefix(8)), region: region, service: service)
        return hex(HMACSHA256.authenticationCode(for: Data(stringToSign.utf8), key: key))
    }

    /// HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    static func signingKey(secret: MantleSecret, day: String, region: String, service: String) -> [UInt8] {
        var key = Array(("AWS4" + secret.exposedValue).utf8)
        for part in [day, region, service, "aws4_request"] {
            key = HMACSHA256.authenticationCode(for: Data(part.utf8), key: key).bytes
        }
        return key
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, whole seconds (botocore drops the fraction).
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T"
            + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }

    /// RFC 3986 encoding of the UTF-8 bytes, keeping only unreserved characters, hex in upper case.
    static func percentEncode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if UnreservedCharacters.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
