import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// A generated operation's handler, as the generated code registers it on a transport.
typealias OpenAPIHandler = @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)

/// The router as the generated code registers its operations on it, with the operations of
/// `FastRoutes` given to their `FastRoute` (which keeps the generated handler for what it does not
/// serve), and a request without a body given to an operation whose body is optional as one
/// without a body.
final class GeneratedRoutes<Context: RequestContext>: ServerTransport {
    private let router: Router<Context>
    private let routes: RouteTable
    private let fast: FastRoutes
    /// The fast routes installed, as "METHOD /path": `FastRoutes.served` unless the generated
    /// code stopped registering one where this looks for it.
    private(set) var installedFastRoutes: Set<String> = []

    init(router: Router<Context>, routes: RouteTable, fast: FastRoutes) {
        self.router = router
        self.routes = routes
        self.fast = fast
    }

    func register(_ handler: @escaping OpenAPIHandler, method: HTTPRequest.Method, path: String) throws {
        if let route = fast.route(method, path, generated: handler) {
            router.register(route, method: method, path: path)
            installedFastRoutes.insert("\(method) \(path)")
            return
        }
        let optional = routes.operation(method, template: path)?.bodyIsOptional == true
        router.register(optional ? Self.withoutEmptyBody(handler) : handler, method: method, path: path)
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
