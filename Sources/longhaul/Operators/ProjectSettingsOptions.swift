import ArgumentParser
import LonghaulCore

/// The settings `projects add` and `projects update` share.
struct ProjectSettingsOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: "The model jobs use when they name none (e.g. openai.gpt-oss-120b).")
    var defaultModel: String?

    @Option(
        name: .long,
        help: "The bedrock-runtime Region for Claude models Mantle does not serve, when not the Mantle region (\"\" clears it).")
    var runtimeRegion: String?

    @Option(name: .long, help: "At most this many jobs with Mantle at once.")
    var maxInFlight: Int?

    @Option(name: .long, help: "Budget of estimated input + max output tokens submitted per minute.")
    var tokensPerMinute: Int?

    @Option(name: .long, help: "Submissions per job before it fails (1–100): Responses that failed, creates whose answer was lost.")
    var maxAttempts: Int?

    @Option(
        name: .long,
        help: "How long a job waits out an endpoint that does not take it (5xx, 429, no connection) before it fails, e.g. 24h (the default), 90m.")
    var retryWindow: HumanDuration?

    @Option(
        name: .customLong("credential"), help: "Credential reference: env:NAME, file:PATH, aws, aws:PROFILE, ssm:NAME or secretsmanager:ID[#KEY] (\"\" clears it on update).")
    var credentialReference: String?

    @Option(name: .long, help: "The Mantle project id (proj_…) sent as OpenAI-Project (\"\" clears it on update).")
    var mantleProjectID: String?

    @Option(name: .customLong("tag"), help: "A tag KEY=VALUE (repeatable); on update KEY= removes the tag.")
    var tagArguments: [String] = []

    /// The tags given, as (key, value) pairs in order; an empty value means "remove".
    func tagPairs() throws -> [(String, String)] {
        try tagArguments.map { argument in
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw ArgumentParser.ValidationError("--tag '\(argument)' is not KEY=VALUE (e.g. --tag team=search)")
            }
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
    }
}
