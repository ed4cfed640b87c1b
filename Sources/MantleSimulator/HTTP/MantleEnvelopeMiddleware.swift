import HTTPTypes
import Hummingbird

/// Gives every answer an `x-request-id` (the SDK reads it into its errors) and turns the router's
/// own errors (unknown route, body too large) into Mantle's error envelope.
struct MantleEnvelopeMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext
    let engine: SimulatorEngine

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            let message =
                error.status == .notFound
                ? "Unknown request URL: \(request.method) \(request.uri.path)."
                : "The request could not be handled: \(error.status.reasonPhrase)."
            response = MantleErrorBody.invalidRequest(message, status: error.status).response
        } catch {
            response = MantleErrorBody.internalServerError.response
        }
        response.headers[.requestID] = engine.makeID("req_")
        return response
    }
}
