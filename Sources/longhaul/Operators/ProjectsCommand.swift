import ArgumentParser
import Foundation
import HTTPClient
import Logging
import LonghaulCore

/// `longhaul projects add|list|show|update|archive`: the tenants, their endpoints and limits.
struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects", abstract: "Manage projects: each team's Mantle endpoint, credential, model and limits.",
        discussion: """
            A project's --credential is a reference, never the key itself:
              env:NAME                  a Bedrock API key in an environment variable
              file:PATH                 a Bedrock API key in a file (re-read every 13 minutes and after a 401)
              aws | aws:PROFILE         short-term keys minted from AWS credentials, resolved as the AWS SDKs do:
                                        environment, profile (role_arn, credential_process), web identity,
                                        container credentials, EC2 instance metadata
              ssm:NAME                  a key in SSM Parameter Store (name or ARN; SecureString decrypted)
              secretsmanager:ID[#KEY]   a key in Secrets Manager (name or ARN; #KEY picks one key of a JSON secret)
            ssm: and secretsmanager: read with the default AWS credential chain, in the ARN's Region, else
            AWS_REGION, else the project's; the key is cached for 13 minutes and read again after a 401.
            `longhaul credentials check --project NAME` says where a project's credential comes from.
            """,
        subcommands: [Add.self, List.self, Show.self, Update.self, Pause.self, Resume.self, Archive.self, BudgetCommand.self, ModelLimitsCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a project.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The project's name (slug): lowercase letters, digits, '-' and '_'.") var name: String
        @Option(name: .long, help: "A Mantle region such as us-east-1 (AWS credentials unless --credential says otherwise).")
        var region: String?
        @Option(name: .long, help: "A base URL instead of a region (a simulator, a proxy).")
        var baseURL: String?
        @OptionGroup var settings: ProjectSettingsOptions
        @Flag(name: .long, help: "Also create the project in Mantle (Projects API) and record its proj_… id.")
        var createMantleProject = false
        @Flag(name: .long, help: "Print the project as JSON.")
        var json = false

        func validate() throws {
            if region != nil && baseURL != nil { throw ArgumentParser.ValidationError("give --region or --base-url, not both") }
            if createMantleProject && settings.mantleProjectID != nil {
                throw ArgumentParser.ValidationError("give --mantle-project-id or --create-mantle-project, not both")
            }
            _ = try settings.tagPairs()
        }

        func run() async throws {
            try await withOperatorSession(options) { session in
                let store = ProjectStore(pool: session.pool)
                var tags: [String: String] = [:]
                for (key, value) in try settings.tagPairs() where !value.isEmpty { tags[key] = value }
                var new = NewProject(
                    slug: name, region: region, baseURL: baseURL, mantleProjectID: settings.mantleProjectID,
                    credentialReference: settings.credentialReference, tags: tags)
                if let model = settings.defaultModel { new.defaultModel = model }
                if let value = settings.maxInFlight { new.maxInFlight = value }
                new.tokensPerMinute = settings.tokensPerMinute
                if let value = settings.maxAttempts { new.maxAttempts = value }
                if let value = settings.retryWindow { new.retryWindowSeconds = value.seconds }
                new.runtimeRegion = settings.runtimeRegion.flatMap { $0.isEmpty ? nil : $0 }
                var project = try await store.create(new)
                if createMantleProject {
                    project = try await provisionMantleProject(project, store: store, options: options)
                }
                try show(project, json: json)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List projects (active ones unless --all).")
        @OptionGroup var options: GlobalOptions
        @Flag(name: .long, help: "Include archived projects.")
        var all = false
        @Flag(name: .long, help: "Print a JSON array.")
        var json = false

        func run() async throws {
            try await withOperatorSession(options) { session in
                let projects = try await ProjectStore(pool: session.pool).list(includeArchived: all)
                if json { return try printJSON(projects) }
                var table = TextTable("PROJECT", "ENDPOINT", "MODEL", "IN_FLIGHT", "TPM", "ATTEMPTS", "MANTLE_PROJECT", "STATUS")
                for project in projects {
                    table.append(
                        project.slug, endpoint(project), project.defaultModel, String(project.maxInFlight),
                        Cell.number(project.tokensPerMinute), String(project.maxAttempts), Cell.text(project.mantleProjectID),
                        status(project))
                }
                print(table.render())
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one project's settings.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The project's name.") var name: String
        @Flag(name: .long, help: "Print the project as JSON.")
        var json = false

        func run() async throws {
            try await withOperatorSession(options) { session in
                try show(try await ProjectOption.resolve(slug: name, in: ProjectStore(pool: session.pool)), json: json)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a project's settings; what is not given stays as it is.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The project's name.") var name: String
        @OptionGroup var settings: ProjectSettingsOptions
        @Flag(name: .long, help: "Remove the tokens-per-minute budget.")
        var noTokensPerMinute = false
        @Flag(name: .long, help: "Create the project in Mantle (Projects API) and record its proj_… id.")
        var createMantleProject = false
        @Flag(name: .long, help: "Print the project as JSON.")
        var json = false

        func validate() throws {
            if noTokensPerMinute && settings.tokensPerMinute != nil {
                throw ArgumentParser.ValidationError("give --tokens-per-minute or --no-tokens-per-minute, not both")
            }
            if createMantleProject && settings.mantleProjectID != nil {
                throw ArgumentParser.ValidationError("give --mantle-project-id or --create-mantle-project, not both")
            }
            _ = try settings.tagPairs()
        }

        func run() async throws {
            try await withOperatorSession(options) { session in
                let store = ProjectStore(pool: session.pool)
                let current = try await ProjectOption.resolve(slug: name, in: store)
                var tags: [String: String]?
                let pairs = try settings.tagPairs()
                if !pairs.isEmpty {
                    var merged = current.tags
                    for (key, value) in pairs { merged[key] = value.isEmpty ? nil : value }
                    tags = merged
                }
                var project = try await store.update(
                    slug: current.slug,
                    ProjectUpdate(
                        defaultModel: settings.defaultModel, maxInFlight: settings.maxInFlight, tokensPerMinute: settings.tokensPerMinute,
                        clearTokensPerMinute: noTokensPerMinute, maxAttempts: settings.maxAttempts,
                        credentialReference: settings.credentialReference, mantleProjectID: settings.mantleProjectID, tags: tags,
                        retryWindowSeconds: settings.retryWindow?.seconds, runtimeRegion: settings.runtimeRegion))
                if createMantleProject {
                    project = try await provisionMantleProject(project, store: store, options: options)
                }
                try show(project, json: json)
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause a project: its queued jobs stay queued, in their place, until `resume`; running ones are followed to their end.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The project's name.") var name: String
        @Option(name: .long, help: "Why, for whoever looks at the project or its jobs.")
        var reason: String?
        @Flag(name: .long, help: "Print the project as JSON.")
        var json = false

        func run() async throws {
            try await changeProject(name, options, json: json) { [reason] store, slug in
                try await store.pause(slug: slug, reason: reason, publicBaseURL: PublicURL.configured)
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a paused project (by an operator, or by Longhaul because Mantle refused its key) and close its endpoint's breaker.",
            discussion: "Its queued jobs are claimed at once; if Mantle still refuses the project, the first create pauses it again with the reason.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The project's name.") var name: String
        @Flag(name: .long, help: "Print the project as JSON.")
        var json = false

        func run() async throws {
            try await changeProject(name, options, json: json) { store, slug in
                try await store.resume(slug: slug, publicBaseURL: PublicURL.configured)
            }
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Archive a project: it accepts no new jobs; jobs already queued or running go on.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The project's name.") var name: String
        @Flag(name: .long, help: "Print the project as JSON.")
        var json = false

        func run() async throws {
            try await withOperatorSession(options) { session in
                let store = ProjectStore(pool: session.pool)
                let project = try await store.archive(slug: try await ProjectOption.resolve(slug: name, in: store).slug)
                if json { return try printJSON(project) }
                print("archived \(project.slug) at \(Cell.date(project.archivedAt))")
            }
        }
    }
}

/// Resolves the project named `name`, applies `change` to it, and shows what it became.
private func changeProject(
    _ name: String, _ options: GlobalOptions, json: Bool, _ change: @escaping @Sendable (ProjectStore, String) async throws -> Project
) async throws {
    try await withOperatorSession(options) { session in
        let store = ProjectStore(pool: session.pool)
        try show(try await change(store, try await ProjectOption.resolve(slug: name, in: store).slug), json: json)
    }
}

/// Active, archived, paused or waiting for its endpoint, in a word or two.
private func status(_ project: Project) -> String {
    guard project.isActive else { return "archived" }
    switch project.hold?.kind {
    case nil: return "active"
    case .refused: return "paused (refused)"
    case .pausedByOperator: return "paused"
    case .endpointUnavailable: return "endpoint unavailable"
    }
}

/// Where a project's Responses go, in a few words.
private func endpoint(_ project: Project) -> String {
    project.region ?? project.baseURL ?? "default"
}

/// A project as label–value lines, or as JSON.
private func show(_ project: Project, json: Bool) throws {
    if json { return try printJSON(project) }
    let held: [(String, String)] = project.hold.map { hold in
        [("held since", Cell.date(hold.since)), ("next try", hold.nextProbeAt.map { Cell.date($0) } ?? "when resumed")]
    } ?? []
    print(
        TextTable.fields([
            ("project", project.slug),
            ("status", project.isActive ? project.hold.map { $0.message(project: project.slug) } ?? "active" : "archived since \(Cell.date(project.archivedAt))"),
            ("endpoint", project.region.map { "region \($0)" } ?? project.baseURL ?? "default (OPENAI_BASE_URL, else the simulator)"),
            ("bedrock-runtime", project.runtimeRegion.map { "region \($0)" } ?? "as the endpoint"),
            ("mantle project", Cell.text(project.mantleProjectID)), ("credential", project.credentialReference ?? "endpoint default"),
            ("model", project.defaultModel), ("max in flight", String(project.maxInFlight)),
            ("tokens per minute", project.tokensPerMinute.map(String.init) ?? "unlimited"), ("max attempts", String(project.maxAttempts)),
            ("retry window", HumanDuration(seconds: project.retryWindowSeconds).description),
            ("tags", Cell.tags(project.tags)), ("created", Cell.date(project.createdAt)),
        ] + held))
}

/// Creates `project`'s Mantle project where its Responses will go. With no endpoint configured
/// (OPENAI_BASE_URL) a project needs its own region or base URL: a project made on a throwaway
/// in-process simulator would name an id no later process knows.
private func provisionMantleProject(_ project: Project, store: ProjectStore, options: GlobalOptions) async throws -> Project {
    let endpoint: DefaultEndpoint
    do {
        if let configured = try DefaultEndpoint.fromEnvironment() {
            endpoint = configured
        } else if let baseURL = project.baseURL {
            endpoint = try .simulator(baseURL: baseURL)
        } else if project.region != nil {
            endpoint = try .simulator(baseURL: "http://127.0.0.1:1")  // unused: a region brings its own endpoint and AWS credentials
        } else {
            throw CommandFailure(
                "project '\(project.slug)' was saved, but no Mantle is configured to create its Mantle project in: set OPENAI_BASE_URL "
                    + "and OPENAI_API_KEY, or give the project --region or --base-url, "
                    + "then run `longhaul projects update \(project.slug) --create-mantle-project`")
        }
    } catch let error as CommandFailure {
        throw error
    } catch {
        throw CommandFailure("\(error)")
    }
    let logger = Logger(label: "longhaul.projects")
    do {
        return try await withHTTPClient(logger: logger) { http in
            try await MantleProjectProvisioner(projects: store, http: http, logger: logger).provision(project, using: endpoint)
        }
    } catch {
        throw CommandFailure(
            "project '\(project.slug)' is saved but its Mantle project was not created: \(error); "
                + "fix that and run `longhaul projects update \(project.slug) --create-mantle-project`")
    }
}
