import HTTPTypes
import Hummingbird
import NIOCore

/// Refuses bodies over the limit of their route with a 413 before anything reads them: by
/// `Content-Length` when it is sent, else while collecting a chunked body.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: APIConfiguration.BodyLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post || request.method == .patch || request.method == .put else {
            return try await next(request, context)
        }
        let limit = limits.limit(forPath: request.uri.path)
        let refusal = APIError(
            .requestTooLarge, code: "body_too_large",
            "the request body is larger than \(limit) bytes, the limit of \(request.uri.path)\(request.uri.path == "/v1/batches" ? "" : "; send many documents through POST /v1/batches")")
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw refusal
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw refusal
        }
        return try await next(request, context)
    }
}
