import ArgumentParser
import Foundation
import LonghaulCore
import Mantle

/// `longhaul webhooks add|list|remove|enable|disable|rotate-secret|secret`: a project's endpoints and secrets.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Manage a project's webhook endpoints and signing secrets.",
        subcommands: [Add.self, List.self, Remove.self, Enable.self, Disable.self, RotateSecret.self, Secret.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an endpoint; prints its id and signing secret.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var project: ProjectOption

        @Option(name: .long, help: "The http(s) URL that receives the events.")
        var url: String

        @Option(
            name: .long,
            help: "Events to send, comma separated (default: all): \(WebhookEventType.allCases.map(\.rawValue).joined(separator: ", ")).")
        var events: String?

        @Flag(name: .long, help: "Include the summary text in job events when the payload stays under 20 KB.")
        var includeResult = false

        @Option(
            name: .long,
            help: "Sign with a secret kept in AWS (ssm:NAME_OR_ARN or secretsmanager:ID_OR_ARN[#KEY]) instead of a generated one.")
        var secret: String?

        func validate() throws {
            _ = try eventTypes()
            if let secret, !AWSStoredSecrets.isReference(secret) {
                throw ValidationError("--secret must be ssm:NAME_OR_ARN or secretsmanager:ID_OR_ARN[#KEY]: the secret stays in AWS, the database keeps only where it is")
            }
        }

        func eventTypes() throws -> [WebhookEventType] {
            guard let events else { return [] }
            return try events.split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let type = WebhookEventType(rawValue: trimmed) else {
                    throw ValidationError(
                        "unknown event '\(trimmed)'; choose from \(WebhookEventType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return type
            }
        }

        func run() async throws {
            try await checkAddress(url)
            try await withSession(options) { session in
                let owner = try await project.resolve(ProjectStore(pool: session.pool))
                let (endpoint, issued) = try await WebhookStore(pool: session.pool).addEndpoint(
                    projectID: owner.id, url: url, eventTypes: try eventTypes(), includeResult: includeResult, secretReference: secret)
                print("endpoint: \(endpoint.publicID)")
                print("url: \(endpoint.url)")
                print("events: \(endpoint.eventTypes.isEmpty ? "all" : endpoint.eventTypes.map(\.rawValue).joined(separator: ","))")
                print("secret: \(issued.secret)")
            }
        }

        /// Checks the address now as well as at every send: a URL that can never be delivered
        /// to is better refused at once than after days of failed attempts.
        private func checkAddress(_ url: String) async throws {
            let policy: WebhookAddressPolicy
            do {
                policy = try WebhookAddressPolicy.fromEnvironment(ProcessInfo.processInfo.environment)
            } catch {
                throw ValidationError("\(error)")
            }
            do {
                _ = try await WebhookDestinationResolver(policy: policy).resolve(url)
            } catch  where error.kind == .resolutionFailed {
                Console.note("warning: \(error.message); deliveries will fail until it resolves")
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a project's endpoints.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var project: ProjectOption
        @Flag(name: .long, help: "One JSON object per line.")
        var json = false

        func run() async throws {
            try await withSession(options) { session in
                let owner = try await project.resolve(ProjectStore(pool: session.pool))
                let endpoints = try await WebhookStore(pool: session.pool).endpoints(projectID: owner.id)
                for endpoint in endpoints {
                    if json {
                        print(try jsonLine(endpoint))
                    } else {
                        let events = endpoint.eventTypes.isEmpty ? "all" : endpoint.eventTypes.map(\.rawValue).joined(separator: ",")
                        let state = endpoint.enabled ? "enabled" : "disabled (\(endpoint.disabledReason ?? "no reason recorded"))"
                        print(
                            "\(endpoint.publicID)  \(state)  events=\(events)\(endpoint.includeResult ? " +result" : "")  \(endpoint.url)")
                    }
                }
                if endpoints.isEmpty && !json { Console.note("project '\(owner.slug)' has no webhook endpoints") }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an endpoint; what is pending for it is cancelled.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The endpoint id (we_…).") var endpoint: String

        func run() async throws {
            try await withSession(options) { session in
                let owner = try await project.resolve(ProjectStore(pool: session.pool))
                try await WebhookStore(pool: session.pool).removeEndpoint(projectID: owner.id, publicID: endpoint)
                print("removed \(endpoint)")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Enable an endpoint again (after a 410 or days of failures); `deliveries resend --include-cancelled` sends what it missed.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The endpoint id (we_…).") var endpoint: String

        func run() async throws {
            try await setEnabled(true, endpoint: endpoint, project: project, options: options)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an endpoint; what is pending for it is cancelled.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The endpoint id (we_…).") var endpoint: String

        func run() async throws {
            try await setEnabled(false, endpoint: endpoint, project: project, options: options)
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Replace an endpoint's signing secret (or, without --endpoint, the project's, which signs per-job URLs); "
                + "the old one keeps signing for 24 hours.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var project: ProjectOption
        @Option(name: .long, help: "The endpoint id (we_…); omit it to rotate the project's secret.")
        var endpoint: String?

        func run() async throws {
            try await withSession(options) { session in
                let owner = try await project.resolve(ProjectStore(pool: session.pool))
                let issued = try await WebhookStore(pool: session.pool).rotateSecret(projectID: owner.id, endpoint: endpoint)
                print("secret: \(issued.secret)")
                if let expires = issued.previousExpiresAt {
                    print("previous secret signs too until: \(expires.formatted(.iso8601))")
                }
            }
        }
    }

    struct Secret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the secrets that sign an endpoint's (or, without --endpoint, the project's) webhooks now, current first.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var project: ProjectOption
        @Option(name: .long, help: "The endpoint id (we_…); omit it for the project's secret.")
        var endpoint: String?

        func run() async throws {
            try await withSession(options) { session in
                let owner = try await project.resolve(ProjectStore(pool: session.pool))
                for secret in try await WebhookStore(pool: session.pool).signingSecrets(projectID: owner.id, endpoint: endpoint) {
                    print(secret)
                }
            }
        }
    }
}

/// One value as a line of JSON (sorted keys, ISO 8601 dates).
func jsonLine(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// `webhooks enable` and `webhooks disable`: one switch, said back.
private func setEnabled(_ enabled: Bool, endpoint: String, project: ProjectOption, options: GlobalOptions) async throws {
    try await withSession(options) { session in
        let owner = try await project.resolve(ProjectStore(pool: session.pool))
        _ = try await WebhookStore(pool: session.pool).setEnabled(enabled, projectID: owner.id, publicID: endpoint)
        print("\(enabled ? "enabled" : "disabled") \(endpoint)")
    }
}
