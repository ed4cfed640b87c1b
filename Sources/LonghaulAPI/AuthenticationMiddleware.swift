import HTTPTypes
import OpenAPIRuntime

/// Authenticates every operation except the public ones (health, readiness, metrics, the
/// document itself) and runs the handler with the principal in `RequestPrincipal.current`.
struct AuthenticationMiddleware: ServerMiddleware {
    let authenticator: Authenticator
    static let publicOperations: Set<String> = ["health", "ready", "metrics", "openAPIDocument"]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if Self.publicOperations.contains(operationID) {
            return try await next(request, body, metadata)
        }
        let principal = try await authenticator.principal(authorization: request.headerFields[.authorization])
        return try await RequestPrincipal.$current.withValue(principal) {
            try await next(request, body, metadata)
        }
    }
}
