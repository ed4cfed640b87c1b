import Foundation
import Hashing

/// Checks a SigV4 `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`
/// header as AWS does for bedrock-runtime: scoped to this Region and service `bedrock`, dated
/// within 15 minutes, and (when the access key's secret is configured) signed correctly.
///
/// The canonical request is botocore's (`SigV4Auth`, used by `AnthropicBedrock`): the path as
/// sent, percent-encoded once more except `/` and unreserved characters; the query pairs as sent,
/// sorted; the signed headers lower-cased with values trimmed and inner spaces collapsed; the
/// SHA-256 of the body.
struct SigV4Verifier {
    struct Signature {
        let accessKeyID: String
        let day: String
        let region: String
        let service: String
        let signedHeaders: [String]
        let signature: String
    }

    /// AWS's rejection: the exception name and its message.
    struct Rejection: Error {
        let exception: String
        let message: String
    }

    let method: String
    /// The path as sent, still percent-encoded.
    let rawPath: String
    let rawQuery: String?
    /// The value of a header by lower-case name (`host` included), all values joined by `,`.
    let header: (String) -> String?
    let body: [UInt8]

    static func isSigV4(_ authorization: String) -> Bool { authorization.hasPrefix("AWS4-HMAC-SHA256 ") }

    static func parse(_ authorization: String) -> Signature? {
        var fields: [String: String] = [:]
        for part in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"] else {
            return nil
        }
        let scope = credential.split(separator: "/").map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request", !scope[0].isEmpty else { return nil }
        return Signature(
            accessKeyID: scope[0], day: scope[1], region: scope[2], service: scope[3],
            signedHeaders: signed.split(separator: ";").map(String.init), signature: signature)
    }

    /// Nil when the request is signed as AWS would accept it.
    func verify(_ authorization: String, region: String, secrets: [String: String], now: Date) -> Rejection? {
        guard let signature = Self.parse(authorization) else {
            return Rejection(
                exception: "IncompleteSignatureException",
                message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.")
        }
        guard signature.service == "bedrock" else {
            return Rejection(
                exception: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'bedrock'.")
        }
        guard signature.region == region else {
            return Rejection(exception: "InvalidSignatureException", message: "Credential should be scoped to a valid region.")
        }
        guard signature.signedHeaders.contains("host"), let timestamp = header("x-amz-date"),
            let date = Self.parseTimestamp(timestamp), timestamp.hasPrefix(signature.day)
        else {
            return Rejection(
                exception: "IncompleteSignatureException",
                message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header, signed with 'host'.")
        }
        if abs(date.timeIntervalSince(now)) > 15 * 60 {
            return Rejection(
                exception: "InvalidSignatureException",
                message: "Signature expired: \(timestamp) is more than 15 minutes from the server's time.")
        }
        if secrets.isEmpty { return nil }  // no secret known: a well-formed, well-scoped signature is enough
        guard let secret = secrets[signature.accessKeyID] else {
            return Rejection(exception: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
        }
        let expected = Self.signature(
            canonicalRequest: canonicalRequest(signedHeaders: signature.signedHeaders), timestamp: timestamp,
            scope: "\(signature.day)/\(region)/bedrock/aws4_request", secret: secret, day: signature.day, region: region)
        guard expected == signature.signature else {
            return Rejection(
                exception: "InvalidSignatureException",
                message: "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        }
        return nil
    }

    func canonicalRequest(signedHeaders: [String]) -> String {
        var pairs: [(name: String, value: String)] = []
        for pair in (rawQuery ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            pairs.append((String(parts[0]), parts.count > 1 ? String(parts[1]) : ""))
        }
        pairs.sort { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        let query: String = pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        var headers = ""
        for name in signedHeaders {
            let value = (header(name) ?? "").split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            headers += "\(name):\(value)\n"
        }
        let lines: [String] = [
            method.uppercased(), Self.encodePath(rawPath), query, headers, signedHeaders.joined(separator: ";"),
            SHA256.hash(data: body).hex,
        ]
        return lines.joined(separator: "\n")
    }

    /// Percent-encodes every byte but unreserved characters and `/` (Python's `quote(path, safe='/~')`).
    static func encodePath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") || isUnreserved(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out.isEmpty ? "/" : out
    }

    /// RFC 3986's unreserved characters: letters, digits, `-._~`.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        let scalar = Unicode.Scalar(byte)
        return
            (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar))
    }

    static func signature(
        canonicalRequest: String, timestamp: String, scope: String, secret: String, day: String, region: String, service: String = "bedrock"
    ) -> String {
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(SHA256.hash(data: Array(canonicalRequest.utf8)).hex)"
        var key = HMACSHA256.authenticationCode(for: Array(day.utf8), key: Array("AWS4\(secret)".utf8)).bytes
        for part in [region, service, "aws4_request"] {
            key = HMACSHA256.authenticationCode(for: Array(part.utf8), key: key).bytes
        }
        return HMACSHA256.authenticationCode(for: Array(stringToSign.utf8), key: key).hex
    }

    private static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter
    }

    /// `20261203T120000Z` as a date.
    static func parseTimestamp(_ value: String) -> Date? { formatter().date(from: value) }

    /// A date as `20261203T120000Z`.
    static func timestamp(_ date: Date) -> String { formatter().string(from: date) }
}

extension SHA256Digest {
    /// Lower-case hex.
    var hex: String { bytes.map { String(format: "%02x", $0) }.joined() }
}
