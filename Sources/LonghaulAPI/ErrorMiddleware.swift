import HTTPTypes
import Logging
import OpenAPIRuntime

/// Answers every error an operation throws in the API's error shape; anything that is not a
/// known refusal is logged with its operation and answered as a 500 that reveals nothing.
struct ErrorMiddleware: ServerMiddleware {
    let logger: Logger

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch {
            let apiError: APIError
            if let known = APIError.translating(error) {
                apiError = known
                if apiError.kind == .unavailable {
                    logger.warning("\(operationID): database unavailable", metadata: ["error": "\(Self.underlying(error))"])
                }
            } else {
                logger.error("\(operationID) failed", metadata: ["error": "\(Self.underlying(error))"])
                apiError = .internalError
            }
            return (HTTPResponse(status: apiError.httpStatus, headerFields: apiError.httpHeaderFields), apiError.httpBody)
        }
    }

    private static func underlying(_ error: any Error) -> any Error {
        (error as? ServerError)?.underlyingError ?? error
    }
}
