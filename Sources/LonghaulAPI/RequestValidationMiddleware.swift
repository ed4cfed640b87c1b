import Foundation
import JSONReading
import Mantle
import HTTPTypes
import Hummingbird
import NIOCore

/// The body the schema check parsed and passed, for a route that reads it instead of parsing it
/// again (`FastRoute`); nil when `StrictJSON` did not read it.
enum CheckedBody {
    @TaskLocal static var document: StrictJSON?

    /// The operations whose routes read it. Only their parse is kept: any other route's body would
    /// stay in memory, beside what its route decodes, until the request ends. (A batch's parse
    /// stays beside the documents read from it, in place of the generated decoder's own parse.)
    static let readers: Set<String> = [Operations.CreateJob.id, Operations.CreateBatch.id]
}

/// Checks each request against its operation in the OpenAPI document before any handler runs:
/// path and query parameters, the `Idempotency-Key` header and the JSON body, so every rule the
/// document states is enforced and refused by field and rule. (A body that is not JSON at all is
/// left to the generated decoder, which says so.)
struct RequestValidationMiddleware<Context: RequestContext>: RouterMiddleware {
    let document: OpenAPIDocument

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let (routes, segments) = document.routes.matching(path: request.uri.path)
        guard let route = routes.first(where: { $0.operations[request.method] != nil }),
              let operation = route.operations[request.method]
        else { return try await next(request, context) }
        let pathValues = route.parameters(in: segments)
        for parameter in operation.parameters {
            let raw: String?
            switch parameter.location {
            case "path": raw = pathValues[parameter.name]
            case "query": raw = request.uri.queryParameters[parameter.name[...]].map(String.init)
            case "header": raw = HTTPField.Name(parameter.name).flatMap { request.headers[$0] }
            default: continue
            }
            guard let raw else {
                if parameter.required { throw APIError.invalid(parameter.name, code: "missing", "'\(parameter.name)' is required") }
                continue
            }
            let value = Self.typed(raw, as: parameter.schema)
            if let violation = document.validator.violation(of: parameter.schema, by: value, at: parameter.name) {
                throw violation
            }
        }
        guard let schema = operation.bodySchema else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: .max)
        let (value, parsed) = JSONValue.decodingKeepingDocument([UInt8](body.readableBytesView))
        if let value, let violation = document.validator.violation(of: schema, by: value, at: "") {
            throw violation
        }
        guard let id = operation.operationID, CheckedBody.readers.contains(id) else { return try await next(request, context) }
        return try await CheckedBody.$document.withValue(parsed) { try await next(request, context) }
    }

    /// A parameter's text as the JSON value its schema expects, so `limit=ten` (or `5.0`) is a
    /// wrong type and `limit=0` a range error.
    private static func typed(_ raw: String, as schema: JSONValue) -> JSONValue {
        let type = schema["type"]?.string ?? schema["$ref"].map { _ in "string" }
        switch type {
        // An integer parameter is read as the generated code reads it (`Int`), so `limit=5.0` is
        // refused here by name instead of by the decoder as "'the body' must be an integer".
        case "integer": return Int64(raw).map { JSONValue.number(Double($0)) } ?? .string(raw)
        case "number": return Double(raw).map(JSONValue.number) ?? .string(raw)
        case "boolean": return raw == "true" ? .bool(true) : raw == "false" ? .bool(false) : .string(raw)
        default: return .string(raw)
        }
    }
}
