public import Mantle

/// How the held-stream runner talks to the APIs with no background mode: which API runs a job,
/// and the job's stream, refused or begun. The real implementation is `MantleGateway`, which
/// reaches each project's endpoint with its credential.
public protocol StreamGateway: Sendable {
    /// The API that runs `job`'s model (`.responses` for the create-and-poll loops).
    func api(for job: ClaimedJob) -> GenerationAPI
    /// Sends `job`'s request on `api`; returns once the answer's head is in.
    func stream(_ job: ClaimedJob, via api: GenerationAPI) async throws(RemoteCallError) -> GenerationStream
}
