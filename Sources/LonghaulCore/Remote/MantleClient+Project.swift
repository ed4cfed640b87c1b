import HTTPClient
import Logging
import Mantle

extension MantleClient {
    /// The client for a project's settings: its region (AWS credentials by default), its base URL,
    /// or the process default endpoint; its credential reference, when set, wins; its Mantle
    /// project id goes in `OpenAI-Project`. Throws when a setting cannot be used (a bad region or
    /// credential reference), with the message saying which.
    init(project: Project, defaultEndpoint: DefaultEndpoint, http: HTTPClient, logger: Logger, timeouts: MantleTimeouts) throws {
        let endpoint: MantleEndpoint
        var credential: MantleCredential
        var region: MantleRegion?
        if let name = project.region {
            let validated = try MantleRegion(validating: name)
            region = validated
            endpoint = MantleEndpoint(region: validated)
            credential = .awsShortTerm(profile: nil)
        } else if let baseURL = project.baseURL {
            endpoint = try MantleEndpoint(baseURL: baseURL)
            credential = defaultEndpoint.credential
        } else {
            endpoint = defaultEndpoint.endpoint
            credential = defaultEndpoint.credential
        }
        if let reference = project.credentialReference {
            credential = try MantleCredential(reference: reference)
        }
        let provider = try MantleCredentialProvider(credential, region: region, transport: http)
        self.init(
            endpoint: endpoint, credentials: provider, projectID: project.mantleProjectID, transport: http, logger: logger,
            timeouts: timeouts)
    }
}
