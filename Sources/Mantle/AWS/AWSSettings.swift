import Foundation

/// What the AWS SDKs read from the environment and the shared files, in one place: where the
/// files are, which profile and Region apply, and which endpoint each service uses.
///
/// Pure: it is built from an environment dictionary and the files' text, so each rule is tested
/// without touching the process.
struct AWSSettings: Sendable {
    /// The environment the settings came from.
    let environment: [String: String]
    /// The shared files.
    let files: AWSProfileFiles
    /// The profile named in the credential reference (`aws:PROFILE`); it disables the
    /// environment's keys and web identity variables, as an explicit profile does in botocore.
    let explicitProfile: String?

    init(environment: [String: String], files: AWSProfileFiles, explicitProfile: String?) {
        self.environment = environment
        self.files = files
        self.explicitProfile = explicitProfile
    }

    /// The profile in effect: `aws:PROFILE`, else `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, `default`.
    var profileName: String {
        explicitProfile ?? value("AWS_PROFILE") ?? value("AWS_DEFAULT_PROFILE") ?? "default"
    }

    /// A non-empty environment variable.
    func value(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingWhitespace, !value.isEmpty else { return nil }
        return value
    }

    /// A variable whose value is `true` (any case).
    func flag(_ name: String) -> Bool { value(name)?.lowercased() == "true" }

    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    func region(profile: String? = nil) -> String? {
        value("AWS_REGION") ?? value("AWS_DEFAULT_REGION")
            ?? files.profile(profile ?? profileName)?["region"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The endpoint of an AWS service, as the SDKs choose it: `AWS_ENDPOINT_URL_<SERVICE>`, the
    /// profile's `services` section, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`, else the
    /// public regional endpoint (STS without a Region: the global one). `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
    /// skips the overrides.
    func endpoint(_ service: AWSService, region: String?) -> (url: String, signingRegion: String) {
        let signingRegion = region ?? "us-east-1"
        if !flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
            let profile = files.profile(profileName) ?? [:]
            let servicesSection = profile["services"].flatMap { files.services[$0] } ?? [:]
            let configured =
                value("AWS_ENDPOINT_URL_" + service.environmentSuffix)
                ?? servicesSection[service.configKey + ".endpoint_url"].flatMap { $0.isEmpty ? nil : $0 }
                ?? value("AWS_ENDPOINT_URL")
                ?? profile["endpoint_url"].flatMap { $0.isEmpty ? nil : $0 }
            if let configured { return (configured.hasSuffix("/") ? String(configured.dropLast()) : configured, signingRegion) }
        }
        guard let region else { return ("https://\(service.hostPrefix).amazonaws.com", signingRegion) }
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return ("https://\(service.hostPrefix).\(region).\(domain)", signingRegion)
    }

    /// `$HOME` (or the process's home directory) with `~/` expanded.
    func expandingHome(_ path: String) -> String {
        let home = value("HOME") ?? NSHomeDirectory()
        return path.hasPrefix("~/") ? home + path.dropFirst() : path
    }

    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    static func configPath(_ environment: [String: String]) -> String {
        path(environment, variable: "AWS_CONFIG_FILE", default: "/.aws/config")
    }

    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    static func credentialsPath(_ environment: [String: String]) -> String {
        path(environment, variable: "AWS_SHARED_CREDENTIALS_FILE", default: "/.aws/credentials")
    }

    private static func path(_ environment: [String: String], variable: String, default suffix: String) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        guard let explicit = environment[variable], !explicit.isEmpty else { return home + suffix }
        return explicit.hasPrefix("~/") ? home + explicit.dropFirst() : explicit
    }
}

/// The AWS services Longhaul calls, with the names each configuration layer uses for them.
enum AWSService: Sendable {
    case sts, ssm, secretsManager
    /// The IAM Identity Center portal (`GetRoleCredentials`) and its OIDC service (`CreateToken`).
    case sso, ssoOIDC

    /// `AWS_ENDPOINT_URL_<this>`.
    var environmentSuffix: String {
        switch self {
        case .sts: "STS"
        case .ssm: "SSM"
        case .secretsManager: "SECRETS_MANAGER"
        case .sso: "SSO"
        case .ssoOIDC: "SSO_OIDC"
        }
    }

    /// The key in a config file's `[services NAME]` section.
    var configKey: String {
        switch self {
        case .sts: "sts"
        case .ssm: "ssm"
        case .secretsManager: "secrets_manager"
        case .sso: "sso"
        case .ssoOIDC: "sso_oidc"
        }
    }

    /// The public endpoint's host before the Region, and for the signed services the SigV4
    /// service name (the SSO calls are unsigned: they carry the sign-in's token).
    var hostPrefix: String {
        switch self {
        case .sts: "sts"
        case .ssm: "ssm"
        case .secretsManager: "secretsmanager"
        case .sso: "portal.sso"
        case .ssoOIDC: "oidc"
        }
    }
}

extension AWSSettings {
    /// The largest config or credentials file read.
    static let maxFileBytes = 1 << 20

    /// Settings from `environment` and the shared files it points at (read off the cooperative pool).
    static func load(environment: [String: String], explicitProfile: String?) async throws(MantleError) -> AWSSettings {
        let configPath = configPath(environment), credentialsPath = credentialsPath(environment)
        let config = try await FileReading.contents(of: configPath, maxBytes: maxFileBytes)
        let credentials = try await FileReading.contents(of: credentialsPath, maxBytes: maxFileBytes)
        let files = AWSProfileFiles(
            config: config.map { String(decoding: $0, as: UTF8.self) },
            credentials: credentials.map { String(decoding: $0, as: UTF8.self) },
            configPath: configPath, credentialsPath: credentialsPath)
        return AWSSettings(environment: environment, files: files, explicitProfile: explicitProfile)
    }
}
