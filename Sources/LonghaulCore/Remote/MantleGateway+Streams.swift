public import Mantle

extension MantleGateway: StreamGateway {
    /// Where a project's bedrock-runtime calls go: the Region it named for them, else Mantle's
    /// Region, else its base URL (the simulator and proxies serve both route sets).
    static func runtimeEndpoint(region runtimeRegion: String?, mantle: MantleEndpoint) throws(MantleError) -> BedrockRuntimeEndpoint {
        if let region = runtimeRegion ?? mantle.region?.rawValue {
            return try BedrockRuntimeEndpoint(region: region)
        }
        return try BedrockRuntimeEndpoint(baseURL: mantle.root)
    }

    /// Every project reaches both hosts: a Region names Mantle's and bedrock-runtime's endpoints
    /// there; a base URL (the simulator, a proxy) serves both route sets.
    public func api(for job: ClaimedJob) -> GenerationAPI {
        ModelRoute.api(for: job.model, entry: job.api)
    }

    public func stream(_ job: ClaimedJob, via api: GenerationAPI) async throws(RemoteCallError) -> GenerationStream {
        let mantle = try await client(for: job.projectID)
        let runtime: BedrockRuntimeEndpoint
        do throws(MantleError) {
            runtime = try Self.runtimeEndpoint(region: runtimeRegion(of: job.projectID), mantle: mantle.endpoint)
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
