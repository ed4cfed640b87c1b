public import Mantle

extension MantleGateway: StreamGateway {
    /// Every project reaches both hosts: a Region names Mantle's and bedrock-runtime's endpoints
    /// there; a base URL (the simulator, a proxy) serves both route sets.
    public func api(for job: ClaimedJob) -> GenerationAPI {
        (try? ModelRoute.api(for: job.model, mantle: true, runtime: true)) ?? .responses
    }

    public func stream(_ job: ClaimedJob, via api: GenerationAPI) async throws(RemoteCallError) -> GenerationStream {
        let mantle = try await client(for: job.projectID)
        let runtime: BedrockRuntimeEndpoint
        do throws(MantleError) {
            if let region = mantle.endpoint.region {
                runtime = try BedrockRuntimeEndpoint(region: region.rawValue)
            } else {
                runtime = try BedrockRuntimeEndpoint(baseURL: mantle.endpoint.root)
            }
        } catch {
            throw .needsAttention(AttemptError(code: "project_misconfigured", message: error.message))
        }
        let client = GenerationClient(
            mantle: mantle.endpoint, runtime: runtime, credentials: mantle.credentials, projectID: mantle.projectID, http: http,
            logger: logger)
        let request = GenerationRequest(
            model: job.model, instructions: job.instructions, input: job.document, maxOutputTokens: job.maxOutputTokens)
        do {
            return try await client.stream(request, via: api)
        } catch {
            throw Self.classify(error)
        }
    }
}
