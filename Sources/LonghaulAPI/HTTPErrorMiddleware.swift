import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The outermost middleware: answers what never reaches an operation — unknown paths (404),
/// known paths with another method (405 with `Allow`), bodies over the limit (413) — in the API's
/// error shape, so a client sees one format whatever refused it.
struct HTTPErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(error)
        } catch let error as any HTTPResponseError {
            return Self.response(translating(error, request: request))
        }
    }

    private func translating(_ error: any HTTPResponseError, request: Request) -> APIError {
        switch error.status {
        case .notFound:
            let allowed = routes.methods(forPath: request.uri.path)
            guard !allowed.isEmpty else {
                return APIError(.notFound, code: "unknown_route", "there is no route \(request.uri.path); see GET /openapi.json")
            }
            var headers = HTTPFields()
            headers[.allow] = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            var refusal = APIError(
                .invalidRequest, code: "method_not_allowed",
                "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).sorted().joined(separator: " or "))",
                headers: headers)
            refusal.statusOverride = .methodNotAllowed
            return refusal
        case .contentTooLarge:
            return APIError(.requestTooLarge, code: "body_too_large", "the request body is larger than this route accepts")
        default:
            return APIError(.invalidRequest, code: "invalid_request", "\(error.status.reasonPhrase)")
        }
    }

    static func response(_ error: APIError) -> Response {
        Response(
            status: error.httpStatus, headers: error.httpHeaderFields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.jsonBody)))
    }
}
