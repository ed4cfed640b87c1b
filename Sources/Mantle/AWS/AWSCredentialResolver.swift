public import Foundation
import HTTPClient

/// AWS credentials as a source gave them, with when they expire and where they came from.
public struct AWSResolvedCredentials: Sendable, CustomStringConvertible {
    /// The credentials.
    public var credentials: AWSCredentials
    /// When temporary credentials expire; nil for long-term keys.
    public var expiration: Date?
    /// When they were obtained.
    public var obtainedAt: Date
    /// botocore's name for the source (`env`, `assume-role`, `iam-role`, …).
    public var method: String
    /// The source in words, e.g. `assume role arn:… (profile 'prod') from profile 'base' in …`.
    public var source: String
    /// The role or user they act as, when the source says (`AssumedRoleUser.Arn`, `RoleArn`).
    public var identity: String?
    /// When an IAM Identity Center sign-in ends (then `aws sso login` again); nil for other sources.
    public var signInExpiration: Date? = nil

    /// `env: …ABCD until …`; never a secret.
    public var description: String {
        "\(method): \(credentials)\(expiration.map { " until \(AWSTime.format($0))" } ?? "")"
    }
}

/// Carries out an `AWSCredentialPlan`: reads token files, calls STS, IAM Identity Center, the
/// container endpoint and instance metadata, runs `credential_process`. Every failure names its source and the fix.
struct AWSCredentialResolver: Sendable {
    let settings: AWSSettings
    /// nil where no HTTP is at hand; a plan that needs it then fails saying so.
    let transport: (any MantleTransport)?
    /// The Region used for STS when the environment and profile name none (the project's).
    let fallbackRegion: String?
    let now: @Sendable () -> Date

    /// The largest token file or credential answer read.
    static let maxTokenBytes = 64 << 10

    func resolve(_ plan: AWSCredentialPlan) async throws(MantleError) -> AWSResolvedCredentials {
        let obtained = now()
        func done(_ credentials: AWSCredentials, _ expiration: Date?, _ identity: String? = nil) -> AWSResolvedCredentials {
            AWSResolvedCredentials(
                credentials: credentials, expiration: expiration, obtainedAt: obtained, method: plan.method, source: plan.summary,
                identity: identity)
        }
        switch plan {
        case .environment(let credentials, let expiration):
            return done(credentials, expiration)
        case .staticProfile(_, _, let credentials):
            return done(credentials, nil)
        case .webIdentity(let role, let sessionName, let tokenFile, _):
            guard let data = try await FileReading.contents(of: tokenFile, maxBytes: Self.maxTokenBytes) else {
                throw .credential(
                    "web identity: token file \(tokenFile) does not exist; check AWS_WEB_IDENTITY_TOKEN_FILE (on EKS, the service account's role annotation)"
                )
            }
            let token = String(decoding: data, as: UTF8.self).trimmingWhitespace
            guard !token.isEmpty else { throw .credentialUnavailable("web identity: token file \(tokenFile) is empty") }
            let session = try await prefixing("web identity") { () throws(MantleError) in
                try await sts().assumeRoleWithWebIdentity(
                    roleARN: role, sessionName: sessionName ?? defaultSessionName(obtained), token: MantleSecret(token))
            }
            return done(session.credentials, session.expiration, session.arn ?? role)
        case .assumeRole(let call):
            let source = try await resolve(call.source)
            let session = try await prefixing("profile '\(call.profile)'") { () throws(MantleError) in
                try await sts().assumeRole(
                    with: source.credentials, roleARN: call.roleARN, sessionName: call.sessionName ?? defaultSessionName(obtained),
                    externalID: call.externalID, durationSeconds: call.durationSeconds)
            }
            // A chained session ends no later than the one that assumed it would have to be renewed.
            let expiration = [session.expiration, source.expiration].compactMap { $0 }.min()
            return done(session.credentials, expiration, session.arn ?? call.roleARN)
        case .sso(let sso):
            let answer = try await AWSSSOClient(settings: settings, call: try call(quick: false), now: now).roleCredentials(sso)
            var resolved = done(answer.credentials, answer.expiration, "role \(sso.roleName) in account \(sso.accountID)")
            resolved.signInExpiration = answer.signInExpiration
            return resolved
        case .process(let command, let profile):
            let answer = try await AWSCredentialProcess.run(command, environment: settings.environment, profile: profile)
            return done(answer.credentials, answer.expiration)
        case .container(let url, let authorization):
            let answer = try await AWSMetadataEndpoints(call: try call(quick: false), now: now).container(
                url: url, authorization: authorization)
            return done(answer.credentials, answer.expiration, answer.identity)
        case .instanceMetadata(let endpoint, let lastResort):
            let answer = try await AWSMetadataEndpoints(call: try call(quick: false), now: now).instanceMetadata(
                endpoint: endpoint, lastResort: lastResort)
            return done(answer.credentials, answer.expiration, answer.identity)
        }
    }

    /// The STS client for these settings: its endpoint and Region as the SDKs choose them.
    func sts() throws(MantleError) -> STSClient {
        let (url, region) = settings.endpoint(.sts, region: settings.region() ?? fallbackRegion)
        return STSClient(endpoint: url, signingRegion: region, call: try call(quick: false), now: now)
    }

    /// The call helper; `quick` tries once.
    func call(quick: Bool) throws(MantleError) -> AWSServiceCall {
        guard let transport else {
            throw .invalidConfiguration(
                "AWS credentials from this source need HTTP calls, and this credential provider was given no transport")
        }
        return AWSServiceCall(transport: transport, attempts: quick ? 1 : 3)
    }

    private func defaultSessionName(_ date: Date) -> String { "longhaul-\(Int(date.timeIntervalSince1970))" }

    /// Runs `body`, putting `source: ` before the message of any failure.
    private func prefixing<T>(_ source: String, _ body: () async throws(MantleError) -> T) async throws(MantleError) -> T {
        do {
            return try await body()
        } catch {
            var error = error
            error.message = "\(source): \(error.message)"
            throw error
        }
    }
}

/// The container credentials endpoint and EC2 instance metadata (IMDSv2).
struct AWSMetadataEndpoints: Sendable {
    let call: AWSServiceCall
    let now: @Sendable () -> Date

    struct Answer: Sendable {
        var credentials: AWSCredentials
        var expiration: Date?
        var identity: String?
    }

    /// The JSON both endpoints answer with.
    private struct CredentialsJSON: Decodable {
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var Token: String?
        var Expiration: String?
        var RoleArn: String?
        var Code: String?
        var Message: String?
    }

    func container(url: String, authorization: AWSCredentialPlan.ContainerAuthorization) async throws(MantleError) -> Answer {
        var headers = HTTPHeaders()
        headers["Accept"] = "application/json"
        switch authorization {
        case .none: break
        case .token(let token): headers["Authorization"] = token.exposedValue
        case .tokenFile(let path):
            guard let data = try await FileReading.contents(of: path, maxBytes: AWSCredentialResolver.maxTokenBytes) else {
                throw .credential("container credentials: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path) does not exist")
            }
            headers["Authorization"] = String(decoding: data, as: UTF8.self).trimmingWhitespace
        }
        let request = HTTPRequest(
            method: .get, url: url, headers: headers, timeout: .seconds(5), connectTimeout: .seconds(2), maxResponseBytes: 1 << 20)
        let body = try await fetch(request, source: "container credentials at \(url)", lastResort: false)
        return try decode(body, source: "container credentials at \(url)")
    }

    func instanceMetadata(endpoint: String, lastResort: Bool) async throws(MantleError) -> Answer {
        let source = "EC2 instance metadata at \(endpoint)"
        // As the chain's last resort, the token is asked once: on EC2 it answers at once, and a
        // laptop with no credentials should not wait for retries to say so.
        var tokenCall = call
        if lastResort { tokenCall.attempts = 1 }
        var tokenHeaders = HTTPHeaders()
        tokenHeaders["X-aws-ec2-metadata-token-ttl-seconds"] = "21600"
        let token = try await fetch(
            call: tokenCall,
            HTTPRequest(
                method: .put, url: endpoint + "/latest/api/token", headers: tokenHeaders, timeout: .seconds(2), connectTimeout: .seconds(1),
                maxResponseBytes: 4096),
            source: source, lastResort: lastResort)
        var headers = HTTPHeaders()
        headers["X-aws-ec2-metadata-token"] = String(decoding: token, as: UTF8.self).trimmingWhitespace
        let base = endpoint + "/latest/meta-data/iam/security-credentials/"
        let roles = try await fetch(
            HTTPRequest(
                method: .get, url: base, headers: headers, timeout: .seconds(2), connectTimeout: .seconds(1), maxResponseBytes: 4096),
            source: source, lastResort: false, notFound: "the instance has no IAM role: attach an instance profile")
        guard
            let role = String(decoding: roles, as: UTF8.self).split(whereSeparator: \.isNewline).first.map({ String($0).trimmingWhitespace }
            ),
            !role.isEmpty, !role.contains("/")
        else {
            throw .credential("\(source): the instance has no IAM role: attach an instance profile")
        }
        let body = try await fetch(
            HTTPRequest(
                method: .get, url: base + role, headers: headers, timeout: .seconds(2), connectTimeout: .seconds(1),
                maxResponseBytes: 1 << 20),
            source: source, lastResort: false)
        var answer = try decode(body, source: source)
        answer.identity = answer.identity ?? "instance profile role \(role)"
        return answer
    }

    private func fetch(
        call: AWSServiceCall? = nil, _ request: HTTPRequest, source: String, lastResort: Bool, notFound: String? = nil
    ) async throws(MantleError) -> Data {
        switch try await (call ?? self.call).send({ () throws(MantleError) -> HTTPRequest in request }) {
        case .noAnswer(let failure):
            if lastResort {
                throw .noAWSCredentials(
                    "no AWS credentials found: no environment keys, profile, web identity or container variables, and \(source) "
                        + "did not answer (\(failure.kind.rawValue)); outside EC2, export the keys or write a profile (AWS_EC2_METADATA_DISABLED=true skips this)"
                )
            }
            throw .credentialUnavailable("\(source) did not answer (\(failure.kind.rawValue))")
        case .answer(let response) where (200..<300).contains(response.status):
            return response.body
        case .answer(let response):
            if response.status == 404, let notFound { throw .credential("\(source): \(notFound)") }
            let line = "\(source) answered \(response.status)"
            if response.status >= 500 || response.status == 429 { throw .credentialUnavailable(line) }
            throw .credential(line + (response.status == 401 || response.status == 403 ? "; the authorization token was refused" : ""))
        }
    }

    private func decode(_ body: Data, source: String) throws(MantleError) -> Answer {
        guard let json = try? JSONDecoder().decode(CredentialsJSON.self, from: body) else {
            throw .credentialUnavailable("\(source) answered with something other than credentials JSON")
        }
        if let code = json.Code, code != "Success" {
            throw .credentialUnavailable("\(source) answered Code \(code)\(json.Message.map { ": \(String($0.prefix(200)))" } ?? "")")
        }
        guard let id = json.AccessKeyId, !id.isEmpty, let secret = json.SecretAccessKey, !secret.isEmpty else {
            throw .credentialUnavailable("\(source) answered without AccessKeyId and SecretAccessKey")
        }
        return Answer(
            credentials: AWSCredentials(
                accessKeyID: id, secretAccessKey: MantleSecret(secret),
                sessionToken: json.Token.flatMap { $0.isEmpty ? nil : MantleSecret($0) }),
            expiration: json.Expiration.flatMap(AWSTime.parse), identity: json.RoleArn)
    }
}
