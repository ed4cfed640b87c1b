import Foundation
import HTTPClient
import Logging

extension MantleTransport {
    /// Sends a streamed request and returns its answer once the head is in with a 2xx; any
    /// other answer is read (up to 64 KiB) and thrown as a classified `MantleError`, a refused
    /// key dropping the cached one. Shared by held generations and streamed background Responses.
    func openStream(
        _ request: HTTPRequest, operation: MantleOperation, credentials: MantleCredentialProvider, now: Date, logger: Logger
    ) async throws(MantleError) -> HTTPStreamingResponse {
        let response: HTTPStreamingResponse
        do {
            response = try await stream(request)
        } catch let failure as HTTPClientError {
            throw MantleError.transport(failure, operation: operation)
        } catch {
            throw MantleError.transport(
                HTTPClientError(kind: .other, message: "\(type(of: error))", url: request.url), operation: operation)
        }
        guard (200..<300).contains(response.status) else {
            let errorBody = (try? await response.collect(upTo: 64 << 10)) ?? Data()
            let error = MantleError.http(
                HTTPResponse(status: response.status, headers: response.headers, body: errorBody, httpVersion: response.httpVersion),
                operation: operation, now: now)
            if error.isUnauthorized { await credentials.invalidate() }
            logger.info("mantle stream refused", metadata: ["mantle.operation": "\(operation.rawValue)", "error": "\(error)"])
            throw error
        }
        return response
    }
}
