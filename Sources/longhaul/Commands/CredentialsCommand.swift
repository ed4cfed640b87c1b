import ArgumentParser
import Foundation
import HTTPClient
import Logging
import LonghaulCore
import Mantle

/// `longhaul credentials check`: where a credential comes from, as whom, until when, and whether a
/// short-term Bedrock key can be minted from it — never a secret.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials", abstract: "Check the credentials Longhaul uses, without showing a secret.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a credential (a project's, or the AWS chain) and say which source answered, for which identity, until when.",
            discussion: """
                Without --project it resolves the AWS credential chain (aws, or aws:PROFILE with --profile) as the
                AWS SDKs do: environment, profiles (role_arn, IAM Identity Center sign-ins cached by `aws sso login`,
                credential_process), web identity, container credentials, EC2 instance metadata. With --project it reads that project's credential reference
                (env:NAME, file:PATH, aws[:PROFILE], ssm:NAME, secretsmanager:ID[#KEY]). Exit status 1 when it
                cannot be used; the message names the source that failed and the fix.
                """)
        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "Check this project's credential.") var project: String?
        @Option(name: .long, help: "Check the AWS profile NAME (the credential reference aws:NAME).") var profile: String?
        @Option(name: .long, help: "The Region short-term keys are minted for (default: the project's, else AWS_REGION, else us-east-1).")
        var region: String?
        @Flag(name: .long, help: "Print the result as JSON.") var json = false

        func validate() throws {
            if project != nil && profile != nil { throw ValidationError("give --project or --profile, not both") }
        }

        func run() async throws {
            LoggingSetup.bootstrap(options, defaultLevel: .warning)
            var credential = MantleCredential.awsShortTerm(profile: profile)
            var regionName = region
            if let slug = project {
                let found = try await withOperatorSession(options) { session in
                    try await ProjectOption.resolve(slug: slug, in: ProjectStore(pool: session.pool))
                }
                regionName = regionName ?? found.region
                if let reference = found.credentialReference {
                    credential = try MantleCredential(reference: reference)
                } else if found.region == nil {
                    guard let configured = try DefaultEndpoint.fromEnvironment() else {
                        throw CommandFailure("project '\(slug)' uses the in-process simulator (no OPENAI_BASE_URL): it needs no credential")
                    }
                    credential = configured.credential
                }
            }
            let environment = ProcessInfo.processInfo.environment
            let mintRegion = try MantleRegion(
                validating: regionName ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1")
            let report = await withHTTPClientReport(credential: credential, region: mintRegion)
            if json {
                try printJSON(report)
            } else {
                let rows: [(String, String?)] = [
                    ("credential", report.credential), ("source", report.source), ("method", report.method), ("identity", report.identity),
                    ("access key", report.accessKey), ("expires", report.expires), ("sign-in", report.signIn),
                    ("bearer key", report.bearerKey),
                    ("error", report.error),
                ]
                for (name, value) in rows { if let value { print(name.padding(toLength: 12, withPad: " ", startingAt: 0) + value) } }
            }
            if report.error != nil { throw ExitCode(1) }
        }

        private func withHTTPClientReport(credential: MantleCredential, region: MantleRegion) async -> CredentialReport {
            var report = CredentialReport(credential: credential.description)
            do {
                try await withHTTPClient(logger: Logger(label: "longhaul.credentials")) { http in
                    let provider = try MantleCredentialProvider(credential, region: region, transport: http)
                    let profile: String?? =
                        switch credential {
                        case .awsShortTerm(let profile): .some(profile)
                        case .parameterStore, .secretsManager: .some(nil)
                        default: nil
                        }
                    if let profile {
                        let resolved = try await provider.awsCredentials(profile: profile)
                        report.source = resolved.source
                        report.method = resolved.method
                        report.identity = resolved.identity
                        let id = resolved.credentials.accessKeyID
                        report.accessKey = id.count > 8 ? "\(id.prefix(4))…\(id.suffix(4))" : "\(id.prefix(4))…"
                        report.expires = resolved.expiration.map { ISO8601DateFormatter().string(from: $0) } ?? "never (long-term keys)"
                        report.signIn = resolved.signInExpiration.map {
                            "IAM Identity Center token until \(ISO8601DateFormatter().string(from: $0)) (`aws sso login` once the sign-in ends)"
                        }
                    }
                    let token = try await provider.token()
                    if case .awsShortTerm = credential {
                        report.bearerKey = "a short-term Bedrock key can be minted for \(region.rawValue)"
                    } else {
                        report.bearerKey = "read (\(token.exposedValue.count) characters)"
                    }
                }
            } catch let error as MantleError {
                report.error = error.message + (error.isRetryable ? " (the source may recover: try again)" : "")
            } catch {
                report.error = "\(error)"
            }
            return report
        }
    }
}

/// What `credentials check` prints: no field holds a secret.
struct CredentialReport: Encodable, Sendable {
    var credential: String
    var source: String?
    var method: String?
    var identity: String?
    var accessKey: String?
    var expires: String?
    /// When an IAM Identity Center sign-in's cached token ends.
    var signIn: String?
    var bearerKey: String?
    var error: String?
}
