import Foundation
import Hashing

/// Where a project's AWS credentials come from: the decision of the credential chain, made from
/// the environment and the shared files before any call.
///
/// `AWSCredentialChain.plan` decides it (pure); `AWSCredentialResolver` carries it out (I/O).
indirect enum AWSCredentialPlan: Sendable, Equatable {
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` (`AWS_CREDENTIAL_EXPIRATION`).
    case environment(AWSCredentials, expiration: Date?)
    /// Keys written in a profile of the credentials or config file.
    case staticProfile(profile: String, path: String, AWSCredentials)
    /// STS `AssumeRoleWithWebIdentity` with a token file (EKS IRSA).
    case webIdentity(roleARN: String, sessionName: String?, tokenFile: String, profile: String)
    /// STS `AssumeRole` with the credentials of `source`.
    case assumeRole(AssumeRole)
    /// A profile's `credential_process`.
    case process(command: String, profile: String)
    /// AWS IAM Identity Center: the SSO portal's `GetRoleCredentials` with the token `aws sso login` cached.
    case sso(SSO)
    /// The ECS or EKS Pod Identity container credentials endpoint.
    case container(url: String, authorization: ContainerAuthorization)
    /// EC2 instance metadata (IMDSv2). `lastResort` when the chain reached it for want of any
    /// other source (no answer there then means "no credentials configured").
    case instanceMetadata(endpoint: String, lastResort: Bool)

    /// An `AssumeRole` call: the role, its parameters, and where the calling credentials come from.
    struct AssumeRole: Sendable, Equatable {
        var roleARN: String
        var sessionName: String?
        var externalID: String?
        var durationSeconds: Int?
        var profile: String
        var source: AWSCredentialPlan
    }

    /// An IAM Identity Center role, and the sign-in whose cached token gets its credentials.
    struct SSO: Sendable, Equatable {
        var profile: String
        var startURL: String
        /// `sso_region`: where the portal and OIDC endpoints are.
        var region: String
        var accountID: String
        var roleName: String
        /// The `sso_session` name; nil for the legacy form (`sso_start_url` in the profile), whose
        /// token is never refreshed (botocore's rule).
        var session: String?
        /// `~/.aws/sso/cache/<sha1 of the session name, else of the start URL>.json`, as the AWS CLI writes it.
        var cacheFile: String
    }

    /// The container endpoint's `Authorization` header, when it needs one.
    enum ContainerAuthorization: Sendable, Equatable {
        case none
        case token(MantleSecret)
        /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, read at each call (EKS rotates it).
        case tokenFile(String)
    }

    /// botocore's name for the source (`Credentials.method`), which the interop tests compare.
    var method: String {
        switch self {
        case .environment: "env"
        case .staticProfile(_, let path, _): path.hasSuffix("config") ? "config-file" : "shared-credentials-file"
        case .webIdentity: "assume-role-with-web-identity"
        case .assumeRole: "assume-role"
        case .process: "custom-process"
        case .sso: "sso"
        case .container: "container-role"
        case .instanceMetadata: "iam-role"
        }
    }

    /// The source in words, for `credentials check` and errors: never a secret.
    var summary: String {
        switch self {
        case .environment: "environment (AWS_ACCESS_KEY_ID)"
        case .staticProfile(let profile, let path, _): "profile '\(profile)' in \(path)"
        case .webIdentity(let role, _, let file, _): "web identity (role \(role), token file \(file))"
        case .assumeRole(let call): "assume role \(call.roleARN) (profile '\(call.profile)') from \(call.source.summary)"
        case .process(_, let profile): "credential_process of profile '\(profile)'"
        case .sso(let sso):
            "IAM Identity Center role \(sso.roleName) in account \(sso.accountID) (profile '\(sso.profile)', "
                + (sso.session.map { "sso_session '\($0)'" } ?? "sso_start_url \(sso.startURL)") + ")"
        case .container(let url, _): "container credentials (\(url))"
        case .instanceMetadata(let endpoint, _): "EC2 instance metadata (\(endpoint))"
        }
    }
}

/// The order in which the AWS SDKs look for credentials, as botocore's default chain has it:
/// environment keys; a profile's `role_arn` (AssumeRole, chained through `source_profile` or a
/// `credential_source`); web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, or the
/// profile's `web_identity_token_file`); IAM Identity Center (`sso_account_id` + `sso_role_name`);
/// the credentials file's keys; `credential_process`; the config file's keys; the container
/// endpoint; EC2 instance metadata.
enum AWSCredentialChain {
    /// The plan for `settings`, or an error naming what is wrong and how to fix it.
    static func plan(_ settings: AWSSettings) throws(MantleError) -> AWSCredentialPlan {
        let name = settings.profileName
        if settings.explicitProfile == nil, let plan = try environmentKeys(settings) { return plan }
        let profile = settings.files.profile(name)
        if profile == nil, settings.explicitProfile != nil || name != "default" {
            throw .credential(
                "profile '\(name)' is in neither \(settings.files.configPath) nor \(settings.files.credentialsPath)"
                    + (settings.files.profileNames.isEmpty
                        ? "" : " (profiles there: \(settings.files.profileNames.joined(separator: ", ")))")
                    + "; set AWS_PROFILE or use the credential reference aws:PROFILE")
        }
        let fields = profile ?? [:]
        if fields["role_arn"] != nil, fields["web_identity_token_file"] == nil {
            return try assumeRole(settings, profile: name, visited: [])
        }
        if let plan = try webIdentity(settings, profile: name, useEnvironment: settings.explicitProfile == nil) { return plan }
        if let plan = try profileSources(settings, profile: name) { return plan }
        if let plan = try container(settings) { return plan }
        if let endpoint = instanceMetadataEndpoint(settings) { return .instanceMetadata(endpoint: endpoint, lastResort: true) }
        throw .credential(
            "no AWS credentials found: AWS_ACCESS_KEY_ID is not set, profile '\(name)' in \(settings.files.credentialsPath) and "
                + "\(settings.files.configPath) has no keys, role_arn, SSO role or credential_process, no web identity or container "
                + "variables are set, and instance metadata is disabled (AWS_EC2_METADATA_DISABLED); export the keys, or "
                + "write a [\(name)] profile")
    }

    /// The environment's keys, nil when neither key variable is set, an error when only one is.
    static func environmentKeys(_ settings: AWSSettings) throws(MantleError) -> AWSCredentialPlan? {
        switch (settings.value("AWS_ACCESS_KEY_ID"), settings.value("AWS_SECRET_ACCESS_KEY")) {
        case (nil, nil):
            return nil
        case (let id?, let secret?):
            let token = settings.value("AWS_SESSION_TOKEN") ?? settings.value("AWS_SECURITY_TOKEN")
            let expiration = settings.value("AWS_CREDENTIAL_EXPIRATION").flatMap(AWSTime.parse)
            return .environment(
                AWSCredentials(accessKeyID: id, secretAccessKey: MantleSecret(secret), sessionToken: token.map(MantleSecret.init)),
                expiration: expiration)
        case (nil, _):
            throw .credential("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both or neither")
        case (_, nil):
            throw .credential("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both or neither")
        }
    }

    /// Web identity from the environment (unless a profile was named) or the profile.
    static func webIdentity(_ settings: AWSSettings, profile: String, useEnvironment: Bool) throws(MantleError) -> AWSCredentialPlan? {
        let fields = settings.files.profile(profile) ?? [:]
        func setting(_ variable: String, _ key: String) -> String? {
            (useEnvironment ? settings.value(variable) : nil) ?? fields[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let tokenFile = setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file") else { return nil }
        guard let role = setting("AWS_ROLE_ARN", "role_arn") else {
            throw .credential(
                "web identity: a token file (\(tokenFile)) is set but no role; set AWS_ROLE_ARN (or role_arn in profile '\(profile)')")
        }
        return .webIdentity(
            roleARN: role, sessionName: setting("AWS_ROLE_SESSION_NAME", "role_session_name"),
            tokenFile: settings.expandingHome(tokenFile), profile: profile)
    }

    /// The sources a profile can hold by itself, in botocore's order: an IAM Identity Center role,
    /// keys in the credentials file, `credential_process`, keys in the config file.
    static func profileSources(_ settings: AWSSettings, profile: String) throws(MantleError) -> AWSCredentialPlan? {
        if let plan = try sso(settings, profile: profile) { return plan }
        if let credentials = try keys(
            settings.files.credentialsFileProfiles[profile], profile: profile, path: settings.files.credentialsPath)
        {
            return .staticProfile(profile: profile, path: settings.files.credentialsPath, credentials)
        }
        let fields = settings.files.profile(profile) ?? [:]
        if let command = fields["credential_process"], !command.isEmpty { return .process(command: command, profile: profile) }
        if let credentials = try keys(fields, profile: profile, path: settings.files.configPath) {
            return .staticProfile(profile: profile, path: settings.files.configPath, credentials)
        }
        return nil
    }

    /// An IAM Identity Center role: a profile with `sso_account_id` or `sso_role_name` (botocore's
    /// test), its start URL and Region in the profile (legacy) or in the `[sso-session NAME]` it
    /// names; nil for any other profile.
    static func sso(_ settings: AWSSettings, profile: String) throws(MantleError) -> AWSCredentialPlan? {
        let fields = settings.files.profile(profile) ?? [:]
        guard fields["sso_account_id"] != nil || fields["sso_role_name"] != nil else { return nil }
        var resolved = fields
        let session = fields["sso_session"].flatMap { $0.isEmpty ? nil : $0 }
        if let session {
            guard let sessionFields = settings.files.ssoSessions[session] else {
                throw .credential(
                    "profile '\(profile)' names sso_session '\(session)', but \(settings.files.configPath) has no [sso-session \(session)] "
                        + "section; add it (`aws configure sso-session`)")
            }
            for (key, value) in sessionFields {
                if let own = fields[key], own != value {
                    throw .credential(
                        "profile '\(profile)' sets \(key) = \(own) but its sso-session '\(session)' sets \(value); keep one of them")
                }
                resolved[key] = value
            }
        }
        func field(_ key: String) -> String? { resolved[key].flatMap { $0.isEmpty ? nil : $0 } }
        let required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        let missing = required.filter { field($0) == nil }
        guard missing.isEmpty, let startURL = field("sso_start_url"), let region = field("sso_region"),
            let accountID = field("sso_account_id"), let roleName = field("sso_role_name")
        else {
            throw .credential(
                "profile '\(profile)' is set up for IAM Identity Center (SSO) but lacks \(missing.joined(separator: ", "))"
                    + (session.map { " (in the profile or its [sso-session \($0)])" } ?? "")
                    + "; run `aws configure sso --profile \(profile)`")
        }
        let cacheKey = SHA1.hex(of: Data((session ?? startURL).utf8))
        return .sso(
            .init(
                profile: profile, startURL: startURL, region: region, accountID: accountID, roleName: roleName, session: session,
                cacheFile: settings.expandingHome("~/.aws/sso/cache/\(cacheKey).json")))
    }

    /// A profile's `role_arn`, with the source of the credentials that assume it.
    static func assumeRole(_ settings: AWSSettings, profile: String, visited: [String]) throws(MantleError) -> AWSCredentialPlan {
        let fields = settings.files.profile(profile) ?? [:]
        guard let role = fields["role_arn"], !role.isEmpty else {
            throw .credential("profile '\(profile)' has no role_arn")
        }
        if fields["mfa_serial"] != nil {
            throw .credential(
                "profile '\(profile)' needs an MFA code (mfa_serial) to assume \(role); Longhaul runs unattended, so give it a profile without MFA"
            )
        }
        let source: AWSCredentialPlan
        switch (fields["source_profile"].flatMap { $0.isEmpty ? nil : $0 }, fields["credential_source"].flatMap { $0.isEmpty ? nil : $0 }) {
        case (_?, _?):
            throw .credential("profile '\(profile)' sets both source_profile and credential_source; keep one")
        case (nil, nil):
            if let plan = try webIdentity(settings, profile: profile, useEnvironment: false) { return plan }
            throw .credential(
                "profile '\(profile)' has role_arn but neither source_profile nor credential_source; add one (e.g. source_profile = default)"
            )
        case (nil, let credentialSource?):
            source = try self.credentialSource(credentialSource, settings: settings, profile: profile)
        case (let sourceProfile?, nil):
            let chain = visited + [profile]
            let sourceFields = settings.files.profile(sourceProfile)
            guard let sourceFields else {
                throw .credential(
                    "profile '\(profile)' names source_profile '\(sourceProfile)', which is in neither \(settings.files.configPath) nor \(settings.files.credentialsPath)"
                )
            }
            let hasKeys = sourceFields["aws_access_key_id"] != nil
            if sourceProfile == profile || chain.contains(sourceProfile) {
                // A profile may be its own source when it holds keys; anything else is a loop.
                let path =
                    settings.files.credentialsFileProfiles[profile]?["aws_access_key_id"] != nil
                    ? settings.files.credentialsPath : settings.files.configPath
                guard sourceProfile == profile, hasKeys, let keys = try keys(sourceFields, profile: profile, path: path) else {
                    throw .credential(
                        "profiles \((chain + [sourceProfile]).joined(separator: " → ")) form a loop of source_profile; end it at a profile with keys"
                    )
                }
                source = .staticProfile(profile: profile, path: path, keys)
            } else if sourceFields["role_arn"] != nil, !hasKeys {
                source = try assumeRole(settings, profile: sourceProfile, visited: chain)
            } else if let plan = try webIdentity(settings, profile: sourceProfile, useEnvironment: false) {
                source = plan
            } else if let plan = try profileSources(settings, profile: sourceProfile) {
                source = plan
            } else {
                throw .credential("source_profile '\(sourceProfile)' of profile '\(profile)' has no keys, role_arn or credential_process")
            }
        }
        return .assumeRole(
            .init(
                roleARN: role, sessionName: fields["role_session_name"].flatMap { $0.isEmpty ? nil : $0 },
                externalID: fields["external_id"].flatMap { $0.isEmpty ? nil : $0 },
                durationSeconds: fields["duration_seconds"].flatMap { Int($0) }, profile: profile, source: source))
    }

    /// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`.
    static func credentialSource(_ name: String, settings: AWSSettings, profile: String) throws(MantleError) -> AWSCredentialPlan {
        switch name {
        case "Environment":
            guard let plan = try environmentKeys(settings) else {
                throw .credential(
                    "profile '\(profile)' takes credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"
                )
            }
            return plan
        case "Ec2InstanceMetadata":
            guard let endpoint = instanceMetadataEndpoint(settings) else {
                throw .credential(
                    "profile '\(profile)' takes credential_source = Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED is true")
            }
            return .instanceMetadata(endpoint: endpoint, lastResort: false)
        case "EcsContainer":
            guard let plan = try container(settings) else {
                throw .credential(
                    "profile '\(profile)' takes credential_source = EcsContainer, but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
                )
            }
            return plan
        default:
            throw .credential(
                "profile '\(profile)' has credential_source = \(name); it must be Environment, Ec2InstanceMetadata or EcsContainer")
        }
    }

    /// The container endpoint: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` on ECS's fixed address, or
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which over plain HTTP must be a loopback address or
    /// the ECS/EKS agents' (as the SDKs require, so a token is never sent to another host).
    static func container(_ settings: AWSSettings) throws(MantleError) -> AWSCredentialPlan? {
        let authorization: AWSCredentialPlan.ContainerAuthorization =
            if let file = settings.value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
                .tokenFile(file)
            } else if let token = settings.value("AWS_CONTAINER_AUTHORIZATION_TOKEN") { .token(MantleSecret(token)) } else { .none }
        if let relative = settings.value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return .container(
                url: "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative), authorization: authorization)
        }
        guard let full = settings.value("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return nil }
        guard let url = URLComponents(string: full), let scheme = url.scheme?.lowercased(), let host = url.host else {
            throw .credential("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL")
        }
        let allowedHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]", "localhost", "::1", "[::1]"]
        guard scheme == "https" || (scheme == "http" && (allowedHosts.contains(host.lowercased()) || host.hasPrefix("127."))) else {
            throw .credential(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback address or 169.254.170.2/169.254.170.23 (it is \(scheme)://\(host))"
            )
        }
        return .container(url: full, authorization: authorization)
    }

    /// Where instance metadata is asked, nil when `AWS_EC2_METADATA_DISABLED=true`.
    static func instanceMetadataEndpoint(_ settings: AWSSettings) -> String? {
        if settings.flag("AWS_EC2_METADATA_DISABLED") { return nil }
        let profile = settings.files.profile(settings.profileName) ?? [:]
        if let endpoint = settings.value("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? profile["ec2_metadata_service_endpoint"].flatMap({ $0.isEmpty ? nil : $0 })
        {
            return endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        }
        let mode = settings.value("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") ?? profile["ec2_metadata_service_endpoint_mode"]
        return mode?.lowercased() == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254"
    }

    /// A profile's `aws_access_key_id` and `aws_secret_access_key`, nil when it has neither, an
    /// error when it has only one.
    static func keys(_ fields: [String: String]?, profile: String, path: String) throws(MantleError) -> AWSCredentials? {
        guard let fields else { return nil }
        let id = fields["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = fields["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        guard let id, let secret else {
            if id != nil || secret != nil {
                throw .credential("profile '\(profile)' in \(path) has only one of aws_access_key_id and aws_secret_access_key; set both")
            }
            return nil
        }
        let token = (fields["aws_session_token"] ?? fields["aws_security_token"]).flatMap { $0.isEmpty ? nil : MantleSecret($0) }
        return AWSCredentials(accessKeyID: id, secretAccessKey: MantleSecret(secret), sessionToken: token)
    }
}

/// The timestamps AWS answers with: ISO 8601 with or without fractional seconds, or Unix seconds.
enum AWSTime {
    static func parse(_ text: String) -> Date? {
        var trimmed = text.trimmingWhitespace
        // Early AWS CLI v2 releases wrote the SSO cache's times as `2019-11-14T04:05:45UTC`.
        if trimmed.hasSuffix("UTC") { trimmed = String(trimmed.dropLast(3)) + "Z" }
        if let seconds = Double(trimmed), seconds.isFinite { return Date(timeIntervalSince1970: seconds) }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: trimmed) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: trimmed)
    }

    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
