import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// A generated operation's handler, as the generated code registers it on a transport.
typealias OpenAPIHandler = @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)

/// The router as the generated code registers its operations on it, with `POST /v1/jobs`
/// given to `JobEnqueueRoute` (which keeps the generated handler for what it does not serve), and
/// a request without a body given to an operation whose body is optional as one without a body.
final class GeneratedRoutes<Context: RequestContext>: ServerTransport {
    private let router: Router<Context>
    private let routes: RouteTable
    private let jobEnqueue: @Sendable (@escaping OpenAPIHandler) -> JobEnqueueRoute
    /// Whether the generated code registered `POST /v1/jobs`, so the route was installed.
    private(set) var installedJobEnqueue = false

    init(
        router: Router<Context>, routes: RouteTable,
        jobEnqueue: @escaping @Sendable (@escaping OpenAPIHandler) -> JobEnqueueRoute
    ) {
        self.router = router
        self.routes = routes
        self.jobEnqueue = jobEnqueue
    }

    func register(_ handler: @escaping OpenAPIHandler, method: HTTPRequest.Method, path: String) throws {
        guard method == .post && path == "/v1/jobs" else {
            let optional = routes.operation(method, template: path)?.bodyIsOptional == true
            router.register(optional ? Self.withoutEmptyBody(handler) : handler, method: method, path: path)
            return
        }
        let route = jobEnqueue(handler)
        router.register({ try await route.respond($0, body: $1, metadata: $2) }, method: method, path: path)
        installedJobEnqueue = true
    }

    /// The handler, given no body for a request that sent none. OpenAPIHummingbird hands every
    /// request a body, empty or not, and the generated code reads an empty one as JSON and refuses
    /// it, so `POST /v1/projects/{project}/pause` without a body (its body is optional) was a 400,
    /// "the body is not valid JSON".
    static func withoutEmptyBody(_ handler: @escaping OpenAPIHandler) -> OpenAPIHandler {
        { request, body, metadata in
            let length = request.headerFields[.contentLength]
            let sentNone = length == "0" || (length == nil && request.headerFields[.transferEncoding] == nil)
            return try await handler(request, sentNone ? nil : body, metadata)
        }
    }
}
