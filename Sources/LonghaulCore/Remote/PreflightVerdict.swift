import Mantle

/// What the preflight of `longhaul batch` and `POST /v1/batches` found at a project's Mantle
/// endpoint before anything is enqueued, with the words to tell the caller.
///
/// Only what needs a person refuses: a key, credential or Mantle project that Mantle will not
/// take, or a model the endpoint does not list. An endpoint that cannot be asked is no reason to
/// refuse work whose jobs can wait for it.
public enum PreflightVerdict: Sendable, Equatable {
    /// The endpoint takes the key and lists every model asked about.
    case ready
    /// Not asked: the project's Responses go to the simulator this process starts itself.
    case notChecked
    /// Mantle refuses the key or the Mantle project, or the credential cannot be read. `code` is
    /// one of ``PreflightVerdict/keyRefused``, ``PreflightVerdict/mantleProjectRefused`` or
    /// ``PreflightVerdict/credentialUnusable``; `message` names the project, what Mantle said and the fix.
    case refused(code: String, message: String)
    /// `GET /v1/models` does not list `model`; `alternatives` are served models that resemble it.
    case modelNotServed(model: String, alternatives: [String], message: String)
    /// No usable answer (down, overloaded, timing out, or no model list): a warning, not a refusal.
    case unreachable(message: String)

    /// Mantle answered 401 or 403 about the key.
    public static let keyRefused = "mantle_key_refused"
    /// Mantle refuses the `OpenAI-Project` the project sends (unknown to the key, or archived).
    public static let mantleProjectRefused = "mantle_project_refused"
    /// The project's credential reference cannot be read or used (an unset variable, a missing file).
    public static let credentialUnusable = "mantle_credential_unusable"

    /// True when nothing should be enqueued: every job would wait for a person or fail.
    public var refusesEnqueue: Bool {
        switch self {
        case .refused, .modelNotServed: true
        case .ready, .notChecked, .unreachable: false
        }
    }

    /// What to tell the caller; nil when there is nothing to say.
    public var message: String? {
        switch self {
        case .ready, .notChecked: nil
        case .refused(_, let message), .modelNotServed(_, _, let message), .unreachable(let message): message
        }
    }
}

extension PreflightVerdict {
    /// The verdict for `models` given the ids `GET /v1/models` listed at `endpoint`: the first
    /// model not listed, in the order given, refuses.
    static func judge(models: [String], served: [String], project: Project, endpoint: String) -> PreflightVerdict {
        let listed = Set(served)
        guard let missing = models.first(where: { !listed.contains($0) }) else { return .ready }
        let alternatives = alternatives(to: missing, among: served)
        let offer =
            alternatives.isEmpty
            ? "it serves no Responses model Longhaul can use"
            : "served models like it: \(alternatives.joined(separator: ", "))"
        return .modelNotServed(
            model: missing, alternatives: alternatives,
            message: "model '\(missing.prefix(128))' is not served at \(endpoint) for project '\(project.slug)' "
                + "(GET /v1/models lists \(served.count) models); \(offer)")
    }

    /// Up to `limit` of the `served` ids that take background Responses, most like `model` first:
    /// the same family (`openai.gpt-5.4` for `openai.gpt-5.6`), then the same provider, then the rest.
    static func alternatives(to model: String, among served: [String], limit: Int = 5) -> [String] {
        let family = MantleModelFamily(modelID: model)
        let provider = Self.provider(of: model)
        func rank(_ id: String) -> Int {
            if family != .unrecognised && MantleModelFamily(modelID: id) == family { return 0 }
            return Self.provider(of: id) == provider ? 1 : 2
        }
        let usable = Set(served).filter { MantleModel.responsesCheck($0) == nil }
        return usable.sorted { (rank($0), $0) < (rank($1), $1) }.prefix(limit).map { $0 }
    }

    private static func provider(of model: String) -> Substring {
        model.lowercased().split(separator: ".", maxSplits: 1).first ?? ""
    }
}
