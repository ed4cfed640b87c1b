import HTTPClient
import Mantle

/// What one look at a project's endpoint found, whatever the model: the ids it serves, a refusal
/// that needs a person, or no usable answer. ``EndpointPreflight`` caches it per project and
/// judges each model against it.
enum EndpointProbe: Sendable, Equatable {
    /// `GET /v1/models` answered with these ids (in its order) at `endpoint`.
    case served([String], endpoint: String)
    /// Mantle refuses the key, the credential or the Mantle project; see ``PreflightVerdict/refused(code:message:)``.
    case refused(code: String, message: String)
    /// No usable answer; the message says why and that the work goes on.
    case unreachable(String)

    /// The verdict for `models`.
    func verdict(for models: [String], project: Project) -> PreflightVerdict {
        switch self {
        case .served(let ids, let endpoint): PreflightVerdict.judge(models: models, served: ids, project: project, endpoint: endpoint)
        case .refused(let code, let message): .refused(code: code, message: message)
        case .unreachable(let message): .unreachable(message: message)
        }
    }

    /// A model list in these terms. An empty list proves nothing (a proxy that lists no models
    /// may still serve them), so it does not refuse anything.
    static func listed(_ ids: [String], endpoint: String, project: Project) -> EndpointProbe {
        guard !ids.isEmpty else {
            return .unreachable("Mantle endpoint \(endpoint) lists no models for project '\(project.slug)': enqueuing without the check")
        }
        return .served(ids, endpoint: endpoint)
    }

    /// A client that could not be built (a credential reference or setting that cannot be used).
    static func unusable(_ detail: AttemptError, project: Project, defaultCredential: MantleCredential) -> EndpointProbe {
        .refused(
            code: PreflightVerdict.credentialUnusable,
            message: "cannot call Mantle for \(detail.message); " + credentialFix(project: project, defaultCredential: defaultCredential))
    }

    /// A failed `GET /v1/models` in these terms: 401 and 403 (and a credential that cannot be
    /// loaded) need a person; everything else — 5xx, 429, timeouts, refused connections, and
    /// answers that are not a model list — is reported and the work goes on.
    static func failed(_ error: MantleError, endpoint: String, project: Project, defaultCredential: MantleCredential) -> EndpointProbe {
        if error.kind == .credential {
            return .refused(
                code: PreflightVerdict.credentialUnusable,
                message: "the credential of project '\(project.slug)' cannot be used: \(error.message); "
                    + credentialFix(project: project, defaultCredential: defaultCredential))
        }
        if let status = error.status, status == 401 || status == 403, !error.isRetryable {
            let said = "HTTP \(status)\((error.code ?? error.type).map { " \($0)" } ?? "") (\(Self.shortened(error.message)))"
            // Mantle (like OpenAI) answers an OpenAI-Project the key cannot use with a 401 or 403 that names the project.
            let aboutProject = [error.code, error.type, error.message].contains { $0?.lowercased().contains("project") == true }
            if let mantleProject = project.mantleProjectID, aboutProject {
                return .refused(
                    code: PreflightVerdict.mantleProjectRefused,
                    message: "Mantle refuses the Mantle project \(mantleProject) of project '\(project.slug)' — \(said); "
                        + mantleProjectFix(project: project))
            }
            return .refused(
                code: PreflightVerdict.keyRefused,
                message: "Mantle refuses the key of project '\(project.slug)' — \(said); "
                    + credentialFix(project: project, defaultCredential: defaultCredential))
        }
        let said = Self.said(error)
        if error.isRetryable {
            return .unreachable("Mantle endpoint \(endpoint) unreachable (\(said)): enqueuing anyway; the jobs wait for it")
        }
        return .unreachable(
            "Mantle endpoint \(endpoint) did not list its models for project '\(project.slug)' (\(said)): enqueuing without the check")
    }

    /// A Mantle project that its endpoint reports archived: it takes no new inference.
    static func archived(_ mantleProject: String, project: Project) -> EndpointProbe {
        .refused(
            code: PreflightVerdict.mantleProjectRefused,
            message: "the Mantle project \(mantleProject) of project '\(project.slug)' is archived and takes no new inference; "
                + mantleProjectFix(project: project))
    }

    /// What Mantle said, in a few words: `HTTP 503 CapacityExceeded: …` or `connectionRefused: …`.
    private static func said(_ error: MantleError) -> String {
        let message = shortened(error.message)
        if let status = error.status {
            let code = error.code ?? error.type
            return "HTTP \(status)\(code.map { " \($0)" } ?? ""): \(message)"
        }
        if let failure = error.transportFailure { return "\(failure.kind.rawValue): \(message)" }
        return message
    }

    private static func shortened(_ message: String) -> String {
        message.count > 300 ? String(message.prefix(300)) + "…" : message
    }

    /// How to give the project a key Mantle takes, for where its key comes from now.
    static func credentialFix(project: Project, defaultCredential: MantleCredential) -> String {
        let command = "longhaul projects update \(project.slug) --credential env:NAME|file:PATH|aws[:PROFILE]|ssm:NAME|secretsmanager:ID[#KEY]"
        if let reference = project.credentialReference {
            return "fix the key behind its credential \(reference), or give it another: \(command)"
        }
        if project.region != nil {
            return "fix the AWS credentials its short-term keys are minted from (see `longhaul credentials check --project \(project.slug)`), "
                + "or give it a key: \(command)"
        }
        switch defaultCredential {
        case .apiKeyEnvironment(let variable): return "fix \(variable) or the project's credential: \(command)"
        case .apiKeyFile(let path): return "fix the key in \(path) or the project's credential: \(command)"
        case .awsShortTerm: return "fix the AWS credentials or the project's credential: \(command)"
        case .parameterStore(let name): return "fix the key in SSM parameter \(name) or the project's credential: \(command)"
        case .secretsManager(let id, _): return "fix the key in Secrets Manager secret \(id) or the project's credential: \(command)"
        case .apiKey: return "set the project's credential: \(command)"
        }
    }

    private static func mantleProjectFix(project: Project) -> String {
        "name a Mantle project this key can use, or none for the account's default: "
            + "longhaul projects update \(project.slug) --mantle-project-id proj_… (or \"\")"
    }
}
