import Foundation
import HTTPClient
import Mantle

/// A transport that answers with recorded Mantle bytes and keeps the requests it was given.
///
/// It stands in for the network only to feed real answer bodies to the client; it has no logic
/// of its own. Tests against a live server use `HTTPClient` and the simulator.
actor RecordedTransport: MantleTransport {
    /// One recorded answer, or a transport failure.
    enum Answer: Sendable {
        case response(status: Int, headers: HTTPHeaders, body: String)
        case failure(HTTPClientError.Kind)
    }

    private var answers: [Answer]
    private(set) var requests: [HTTPRequest] = []

    init(_ answers: [Answer]) { self.answers = answers }

    init(status: Int = 200, headers: HTTPHeaders = ["x-request-id": "req_recorded"], body: String) {
        answers = [.response(status: status, headers: headers, body: body)]
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.append(request)
        guard !answers.isEmpty else {
            throw HTTPClientError(kind: .other, message: "no recorded answer left", url: request.url)
        }
        switch answers.removeFirst() {
        case .response(let status, let headers, let body):
            return HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
        case .failure(let kind):
            throw HTTPClientError(kind: kind, message: "recorded \(kind.rawValue)", url: request.url)
        }
    }
}
