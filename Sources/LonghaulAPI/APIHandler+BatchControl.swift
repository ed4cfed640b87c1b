import Foundation
import LonghaulCore
import OpenAPIRuntime

/// `/v1/batches/{id}/retry|cancel|results`: the batch as one unit of work.
extension APIHandler {
    func retryBatch(_ input: Operations.RetryBatch.Input) async throws -> Operations.RetryBatch.Output {
        let projectID = try RequestPrincipal.required().projectID
        var retry = BatchRetry()
        if case .json(let body) = input.body {
            if let states = body.states { retry.states = Set(states.compactMap { JobState(rawValue: $0.rawValue) }) }
            retry.errorCode = body.errorCode
            retry.maxOutputTokens = body.maxOutputTokens
        }
        let retried = try await batches.retry(batchPublicID: input.path.batchId, projectID: projectID, retry)
        let batch = try await batches.batch(publicID: input.path.batchId, projectID: projectID)
        return .accepted(.init(body: .json(.init(batch: .init(batch), retried: retried))))
    }

    func cancelBatch(_ input: Operations.CancelBatch.Input) async throws -> Operations.CancelBatch.Output {
        let projectID = try RequestPrincipal.required().projectID
        let outcome = try await batches.cancel(batchPublicID: input.path.batchId, projectID: projectID)
        let batch = try await batches.batch(publicID: input.path.batchId, projectID: projectID)
        return .accepted(.init(body: .json(.init(batch: .init(batch), cancelled: outcome.cancelled, cancelRequested: outcome.cancelRequested))))
    }

    func setBatchBudget(_ input: Operations.SetBatchBudget.Input) async throws -> Operations.SetBatchBudget.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the cap as JSON") }
        guard let cap = BatchBudgetCap(maxTokens: body.maxTokens.map(Int64.init), maxCost: body.maxCost) else {
            throw APIError.invalid("max_cost", code: "missing", "give a cap: max_cost (money at the model prices) or max_tokens, or both")
        }
        let projectID = try RequestPrincipal.required().projectID
        try await batches.setBudget(batchPublicID: input.path.batchId, projectID: projectID, cap)
        return .ok(.init(body: .json(.init(try await batches.batch(publicID: input.path.batchId, projectID: projectID)))))
    }

    func clearBatchBudget(_ input: Operations.ClearBatchBudget.Input) async throws -> Operations.ClearBatchBudget.Output {
        let projectID = try RequestPrincipal.required().projectID
        try await batches.setBudget(batchPublicID: input.path.batchId, projectID: projectID, nil)
        return .ok(.init(body: .json(.init(try await batches.batch(publicID: input.path.batchId, projectID: projectID)))))
    }

    /// Streamed a page at a time as the client reads (chunked, no length); the batch is looked up
    /// first, so an unknown one is a 404 rather than a 200 cut short.
    func getBatchResults(_ input: Operations.GetBatchResults.Input) async throws -> Operations.GetBatchResults.Output {
        let projectID = try RequestPrincipal.required().projectID
        let lines = try await batches.resultLines(batchPublicID: input.path.batchId, projectID: projectID)
        return .ok(.init(body: .applicationJsonl(HTTPBody(lines, length: .unknown, iterationBehavior: .single))))
    }
}
