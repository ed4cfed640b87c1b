public import Mantle

extension MantleGateway: BackgroundStreamGateway {
    public func submitStreaming(_ job: ClaimedJob) async throws(RemoteCallError) -> (RemoteSubmission, BackgroundStream?) {
        let client = try await client(for: job.projectID)
        let endpoint = client.endpoint.root
        if streamRefusals.isRefused(.backgroundStream, endpoint: endpoint, model: job.model) { return (try await submit(job), nil) }
        let refusal: MantleError
        do {
            // `createResponseStream` returns only once `response.created` named the Response.
            let (state, events) = try await client.createResponseStream(Self.createRequest(for: job))
            let submission = RemoteSubmission(
                responseID: state.responseID ?? "", remoteStatus: state.status.map(\.rawValue) ?? "in_progress")
            return (submission, BackgroundStream(state: state, events: events))
        } catch  where Self.mayRefuseStreaming(error) {
            refusal = error
        } catch {
            throw Self.classify(error)
        }
        // A 400 may refuse the pair or something else in the request: a plain create tells them
        // apart. Only when it is accepted was the refusal about streaming (a 400 creates nothing).
        let submission = try await submit(job)
        streamRefusals.record(.backgroundStream, endpoint: endpoint, model: job.model, detail: refusal.message, logger: logger)
        return (submission, nil)
    }

    public func resumeStream(
        projectID: Int64, model: String, responseID: String, after state: StreamedResponse
    ) async -> ResponseEventStream? {
        guard let client = try? await client(for: projectID) else { return nil }
        let endpoint = client.endpoint.root
        guard !streamRefusals.isRefused(.resume, endpoint: endpoint, model: model) else { return nil }
        do {
            return try await client.resumeResponseStream(id: responseID, model: model, after: state)
        } catch {
            if Self.mayRefuseStreaming(error) {
                streamRefusals.record(.resume, endpoint: endpoint, model: model, detail: error.message, logger: logger)
            }
            return nil
        }
    }

    /// A 400 or 422 that is not a server fault in disguise: the endpoint may not take `stream`
    /// with `background` for this model (401, 403, 404 and 429 mean other things).
    static func mayRefuseStreaming(_ error: MantleError) -> Bool {
        guard let status = error.status, status == 400 || status == 422 else { return false }
        return !error.isRetryable
    }
}
