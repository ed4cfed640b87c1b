import Foundation
import HTTPTypes
import JSONReading
import JSONWriting
import Mantle
import MantleModels
@_spi(Generated) import OpenAPIRuntime

/// An operation served without the generated route's Codable round trip: it reads the body the
/// schema check already parsed (`CheckedBody`) with a strict reader of the operation's schema,
/// runs the same operation under the same error middleware, and writes the answer as the
/// generated route would. For `POST /v1/jobs` the decoding, content negotiation and encoding were
/// a third of the API server's CPU per enqueue (207 → 134 µs a request, 4,615 → 5,859 requests/s,
/// `bench/compare.sh api 3`); for `POST /v1/batches` reading a thousand documents again was 19 %.
///
/// Only requests of the plain shape take this path: JSON or no content type, an `Accept` of
/// JSON or anything, header values the generated code would read as they are, a body the strict
/// reader is sure of. Anything else goes to the generated route, which decides as it always has.
struct FastRoute<Body: Sendable>: Sendable {
    let operationID: String
    let errors: ErrorMiddleware
    /// The generated route, for the requests this one leaves to it.
    let generated: OpenAPIHandler
    /// The body from the schema check's parse, or nil to leave the request to `generated`.
    let read: @Sendable (StrictJSON) -> Body?
    let serve: @Sendable (Body, PlainJSONRequest) async throws -> (HTTPResponse, HTTPBody?)

    func respond(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?) {
        guard let plain = PlainJSONRequest(request), let document = CheckedBody.document, let read = read(document) else {
            return try await generated(request, body, metadata)
        }
        return try await errors.intercept(request, body: body, metadata: metadata, operationID: operationID) { _, _, _ in
            try await serve(read, plain)
        }
    }
}

/// The operations served by a `FastRoute`, and what each does with its body.
struct FastRoutes: Sendable {
    let handler: APIHandler
    let errors: ErrorMiddleware

    /// Each served operation, as "METHOD /path" the way the generated code registers it.
    static let served: Set<String> = ["POST /v1/jobs", "POST /v1/batches"]

    /// The handler that serves `method` `path` in place of `generated`; nil for the operations
    /// served by their generated route alone.
    func route(_ method: HTTPRequest.Method, _ path: String, generated: @escaping OpenAPIHandler) -> OpenAPIHandler? {
        switch "\(method) \(path)" {
        case "POST /v1/jobs":
            // The job is written by hand (`Job+JSONBytes`): a small body, on the API's busiest route.
            return FastRoute(
                operationID: Operations.CreateJob.id, errors: errors, generated: generated, read: Components.Schemas.JobCreate.init(strict:)
            ) { [handler] job, plain in
                let stored = try await handler.enqueueJob(job, idempotencyKey: plain.idempotencyKey)
                var response = HTTPResponse(status: stored.created ? .accepted : .ok)
                response.headerFields[.contentType] = "application/json; charset=utf-8"
                return (response, HTTPBody(Components.Schemas.Job(stored.detail).jsonBytes))
            }.respond
        case "POST /v1/batches":
            // The answer (the batch and its job ids, or a dry run's plan) through the generated
            // encoder: a few bytes a document against the thousands each one brought.
            return FastRoute(
                operationID: Operations.CreateBatch.id, errors: errors, generated: generated,
                read: Components.Schemas.BatchCreate.init(strict:)
            ) { [handler] batch, _ in
                switch try await handler.submitBatch(batch) {
                case .created(let created): try Self.generatedJSON(created, status: .accepted)
                case .planned(let plan): try Self.generatedJSON(plan, status: .ok)
                }
            }.respond
        default:
            return nil
        }
    }

    /// `value` as the generated route writes it, with the server's configuration.
    static func generatedJSON<Value: Encodable & Sendable>(_ value: Value, status: HTTPResponse.Status) throws -> (HTTPResponse, HTTPBody?) {
        var response = HTTPResponse(status: status)
        let body = try converter.setResponseBodyAsJSON(value, headerFields: &response.headerFields, contentType: "application/json; charset=utf-8")
        return (response, body)
    }

    static let converter = Converter(configuration: APIServer.openAPIConfiguration)
}

/// A request whose headers mean to a fast route what they mean to the generated one.
struct PlainJSONRequest: Equatable {
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
