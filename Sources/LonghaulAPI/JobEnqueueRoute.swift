import Foundation
import HTTPTypes
import JSONWriting
import Mantle
import MantleModels
import OpenAPIRuntime

/// `POST /v1/jobs`, the API's busiest route, without the generated route's Codable round trip:
/// it reads the body the schema check already parsed (`CheckedBody`), runs the same operation
/// (`APIHandler.enqueueJob`) under the same error middleware, and writes the job by hand
/// (`Job+JSONBytes`). The generated route's decoding, content negotiation and encoding were a
/// third of the API server's CPU per enqueue: 207 → 134 µs a request, 4,615 → 5,859 requests/s
/// (`bench/compare.sh api 3`, medians of 3).
///
/// Only requests of the plain shape take this path: JSON or no content type, an `Accept` of
/// JSON or anything, header values the generated code would read as they are, a body the strict
/// reader is sure of. Anything else goes to the generated route, which decides as it always has.
struct JobEnqueueRoute: Sendable {
    let handler: APIHandler
    let errors: ErrorMiddleware
    /// The generated route, for the requests this one leaves to it.
    let generated: OpenAPIHandler

    func respond(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?) {
        guard let plain = PlainRequest(request), let document = CheckedBody.document,
              let job = Components.Schemas.JobCreate(strict: document)
        else {
            return try await generated(request, body, metadata)
        }
        return try await errors.intercept(request, body: body, metadata: metadata, operationID: Operations.CreateJob.id) { _, _, _ in
            let stored = try await handler.enqueueJob(job, idempotencyKey: plain.idempotencyKey)
            var response = HTTPResponse(status: stored.created ? .accepted : .ok)
            response.headerFields[.contentType] = "application/json; charset=utf-8"
            return (response, HTTPBody(Components.Schemas.Job(stored.detail).jsonBytes))
        }
    }

    /// A request whose headers mean to this route what they mean to the generated one.
    struct PlainRequest: Equatable {
        var idempotencyKey: String?

        init?(_ request: HTTPRequest) {
            let fields = request.headerFields
            guard Self.isPlain(fields[.contentType], ["application/json", "application/json; charset=utf-8"]),
                  Self.isPlain(fields[.accept], ["application/json", "*/*"]),
                  Self.readsAsItself(fields[Self.traceparent])
            else { return nil }
            let key = fields[Self.idempotencyKey]
            guard Self.readsAsItself(key) else { return nil }
            idempotencyKey = key
        }

        static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
        static let traceparent = HTTPField.Name("traceparent")!

        /// Absent, or one of `values` (ASCII case aside).
        private static func isPlain(_ value: String?, _ values: [String]) -> Bool {
            guard let value else { return true }
            return values.contains(value.lowercased())
        }

        /// Absent, or only RFC 3986's unreserved characters, which the generated code's
        /// percent-decoding of a header leaves as they are.
        private static func readsAsItself(_ value: String?) -> Bool {
            guard let value else { return true }
            return value.utf8.allSatisfy(UnreservedCharacters.contains)
        }
    }
}
