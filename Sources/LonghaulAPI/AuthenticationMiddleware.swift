import HTTPTypes
import Hummingbird
import Logging
import LonghaulCore

/// Authenticates every `/v1` request before anything reads its body, and runs the rest of the
/// chain with the principal in `RequestPrincipal.current`. The public routes (health, readiness,
/// metrics, the document) and the dashboard (which has its own sessions) lie outside `/v1`.
///
/// It runs before the body limit and the schema check, so an anonymous caller gets a 401 without
/// the server reading, let alone parsing, a 64 MB batch; a read-only token gets a 403 for any
/// method but GET and HEAD before its body is read.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: Authenticator
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.needsToken(path: request.uri.path) else { return try await next(request, context) }
        let caller: Caller
        do {
            caller = try await authenticator.caller(authorization: request.headers[.authorization])
        } catch {
            // A database that cannot be reached is a 503 here as in the handlers, not a 500.
            guard let known = APIError.translating(error) else {
                logger.error("authentication failed", metadata: ["error": "\(error)"])
                throw APIError.internalError
            }
            throw known
        }
        if caller.readOnly && !Self.onlyReads(method: request.method, path: request.uri.path) {
            throw APIError(
                .permission, code: "read_only_token",
                "this token is read-only: it may read but not \(request.method.rawValue) \(request.uri.path)")
        }
        // A write may revoke a token or change a project or its limits: what this server keeps of
        // them is forgotten, so the change holds here at once. Jobs and batches change none of it.
        let forgets = !Self.onlyReads(method: request.method, path: request.uri.path) && !Self.onlyEnqueues(path: request.uri.path)
        defer { if forgets { authenticator.lookups.forgetAll() } }
        return try await RequestPrincipal.$current.withValue(caller.principal) {
            try await next(request, context)
        }
    }

    /// The routes that write jobs and batches (and their cancels and retries) only.
    static func onlyEnqueues(path: String) -> Bool {
        path.hasPrefix("/v1/jobs") || path.hasPrefix("/v1/batches")
    }

    /// GET and HEAD, and the one POST that changes nothing: a plan (`POST /v1/jobs/plan`).
    static func onlyReads(method: HTTPRequest.Method, path: String) -> Bool {
        method == .get || method == .head || (method == .post && path == "/v1/jobs/plan")
    }

    static func needsToken(path: String) -> Bool {
        path == "/v1" || path.hasPrefix("/v1/")
    }
}
