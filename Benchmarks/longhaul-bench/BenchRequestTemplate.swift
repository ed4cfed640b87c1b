import ArgumentParser
import Foundation
import HTTPClient

/// The request `longhaul-bench http` sends over and over: method, URL, headers and body, where
/// every `{{seq}}` in a header value or the body becomes a number unique to that request.
///
/// Distinct requests matter when the server stores what it receives: the same idempotency key
/// or the same document each time would measure the duplicate path instead of the insert.
struct BenchRequestTemplate: Sendable {
    static let placeholder = "{{seq}}"

    let method: HTTPMethod
    let url: String
    let headers: [(name: String, value: String)]
    /// The body cut at each placeholder (one piece when there is none); nil sends no body.
    let bodyPieces: [Data]?
    /// Whether any request differs from the next; if not, one `HTTPRequest` is built and reused.
    let varies: Bool

    /// Parses `Name: value` header options; a malformed one is refused by its position (not its
    /// text, which may hold a token).
    init(method: String, url: String, headerOptions: [String], body: Data?) throws {
        self.method = HTTPMethod(rawValue: method.uppercased())
        self.url = url
        self.headers = try headerOptions.enumerated().map { index, option in
            guard let colon = option.firstIndex(of: ":"), colon != option.startIndex else {
                throw ValidationError("--header number \(index + 1) is not 'Name: value' (e.g. 'Content-Type: application/json')")
            }
            return (String(option[..<colon]), option[option.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        self.bodyPieces = body.map { Self.split($0) }
        self.varies = (bodyPieces?.count ?? 1) > 1 || headers.contains { $0.value.contains(Self.placeholder) }
    }

    /// The request numbered `sequence` (the caller keeps sequences unique, e.g. "worker-count").
    func request(sequence: String) -> HTTPRequest {
        var fields = HTTPHeaders()
        for header in headers {
            fields.add(name: header.name, value: header.value.replacingOccurrences(of: Self.placeholder, with: sequence))
        }
        let body = bodyPieces.map { pieces in
            var data = Data(pieces[0])
            let marker = Data(sequence.utf8)
            for piece in pieces.dropFirst() {
                data.append(marker)
                data.append(piece)
            }
            return data
        }
        return HTTPRequest(method: method, url: url, headers: fields, body: body, timeout: .seconds(60))
    }

    /// `body` cut at every placeholder, so that each request only joins pieces.
    private static func split(_ body: Data) -> [Data] {
        let marker = Data(placeholder.utf8)
        var pieces: [Data] = []
        var rest = body[...]
        while let range = rest.firstRange(of: marker) {
            pieces.append(Data(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        pieces.append(Data(rest))
        return pieces
    }
}
