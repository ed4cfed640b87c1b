import Foundation
import Hummingbird
import LonghaulCore

/// A batch's page, its results download and "retry failed": the same store calls as
/// `GET /v1/batches/{id}`, `GET /v1/batches/{id}/results` and `POST /v1/batches/{id}/retry`.
extension Dashboard {
    func batchPage(_ publicID: String, _ request: Request, _ session: DashboardSession) async throws -> Response {
        let projectID = session.caller.principal.projectID
        let batch = try await batches.batch(publicID: publicID, projectID: projectID)
        let byModel = try await usage.report(projectID: projectID, from: nil, to: nil, groupBy: .model, batchID: batch.id)
        let retried = FormBody(encoded: request.uri.query ?? "")["retried"].flatMap(Int.init)
        return PageResponse.html(BatchPage.render(batch, usage: byModel, retried: retried, session: session))
    }

    /// The batch's finished jobs as JSON Lines, as the REST API sends them, to save as a file:
    /// streamed a page at a time, as the REST API does.
    func batchResults(_ publicID: String, _ session: DashboardSession) async throws -> Response {
        let lines = try await batches.resultLines(batchPublicID: publicID, projectID: session.caller.principal.projectID)
        var response = PageResponse.stream(
            lines.map { ByteBuffer(bytes: $0) }, contentType: "application/jsonl; charset=utf-8", cacheSeconds: nil)
        // Letters, digits and `_` only: nothing a request adds can end the quoted file name.
        let name = publicID.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        response.headers[.contentDisposition] = "attachment; filename=\"\(name)-results.jsonl\""
        return response
    }

    /// Queues again the batch's failed and incomplete jobs.
    func retryBatch(_ publicID: String, _ session: DashboardSession) async throws -> Response {
        let retried = try await batches.retry(batchPublicID: publicID, projectID: session.caller.principal.projectID, BatchRetry())
        return PageResponse.redirect(to: "/dashboard/batches/\(JobsQuery.percentEncoded(publicID))?retried=\(retried)")
    }
}
