import Foundation
import HTTPClient

/// The three STS calls Longhaul makes, over the query API (form-encoded POST, XML answers):
/// `AssumeRole` and `GetCallerIdentity` signed with SigV4, `AssumeRoleWithWebIdentity` unsigned.
struct STSClient: Sendable {
    /// The endpoint (`https://sts.REGION.amazonaws.com`, or an override) and the Region signed for.
    let endpoint: String
    let signingRegion: String
    let call: AWSServiceCall
    let now: @Sendable () -> Date

    /// Temporary credentials and the identity they belong to.
    struct Session: Sendable {
        var credentials: AWSCredentials
        var expiration: Date?
        /// `AssumedRoleUser.Arn` (or `GetCallerIdentity`'s `Arn`).
        var arn: String?
    }

    func assumeRole(
        with credentials: AWSCredentials, roleARN: String, sessionName: String, externalID: String?, durationSeconds: Int?
    ) async throws(MantleError) -> Session {
        var parameters = [("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let externalID { parameters.append(("ExternalId", externalID)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let body = try await send(parameters, signedWith: credentials, what: "AssumeRole", role: roleARN)
        return try session(from: body, what: "AssumeRole", role: roleARN)
    }

    func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, token: MantleSecret) async throws(MantleError) -> Session {
        let parameters = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN), ("RoleSessionName", sessionName),
            ("WebIdentityToken", token.exposedValue),
        ]
        let body = try await send(parameters, signedWith: nil, what: "AssumeRoleWithWebIdentity", role: roleARN)
        return try session(from: body, what: "AssumeRoleWithWebIdentity", role: roleARN)
    }

    /// The ARN the credentials act as.
    func callerIdentity(_ credentials: AWSCredentials) async throws(MantleError) -> String {
        let body = try await send(
            [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")], signedWith: credentials, what: "GetCallerIdentity", role: nil)
        guard let arn = AWSXML.value("Arn", in: body) else {
            throw .credentialUnavailable("STS GetCallerIdentity at \(endpoint) answered without an Arn")
        }
        return arn
    }

    private func send(
        _ parameters: [(String, String)], signedWith credentials: AWSCredentials?, what: String, role: String?
    ) async throws(MantleError) -> String {
        let body = Data(
            parameters.map { "\(SigV4QueryPresigner.percentEncode($0.0))=\(SigV4QueryPresigner.percentEncode($0.1))" }.joined(
                separator: "&"
            ).utf8)
        let endpoint = endpoint, region = signingRegion, now = now
        let outcome = try await call.send(
            { () throws(MantleError) -> HTTPRequest in
                var headers: [(String, String)] = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
                if let credentials {
                    headers = try SigV4RequestSigner(credentials: credentials, region: region, service: "sts")
                        .sign(method: "POST", url: endpoint + "/", headers: headers, body: body, date: now())
                }
                var httpHeaders = HTTPHeaders()
                for (name, value) in headers { httpHeaders.add(name: name, value: value) }
                return HTTPRequest(
                    method: .post, url: endpoint + "/", headers: httpHeaders, body: body, timeout: .seconds(10),
                    connectTimeout: .seconds(5), maxResponseBytes: 1 << 20)
            }, errorCode: { AWSXML.value("Code", in: String(decoding: $0.body, as: UTF8.self)) })
        let forRole = role.map { " for role \($0)" } ?? ""
        switch outcome {
        case .noAnswer(let failure):
            throw .credentialUnavailable(
                "STS \(what) at \(endpoint) did not answer\(forRole) (\(failure.kind.rawValue)); check the network path to STS or AWS_ENDPOINT_URL_STS"
            )
        case .answer(let response):
            let text = String(decoding: response.body, as: UTF8.self)
            guard (200..<300).contains(response.status) else {
                let code = AWSXML.value("Code", in: text) ?? "no error code"
                let message = AWSXML.value("Message", in: text).map { ": \(String($0.prefix(300)))" } ?? ""
                let line = "STS \(what) answered \(response.status) \(code)\(forRole)\(message)"
                if response.status >= 500 || response.status == 429 { throw .credentialUnavailable(line) }
                throw .credential(line + Self.advice(code: code, what: what))
            }
            return text
        }
    }

    private func session(from body: String, what: String, role: String) throws(MantleError) -> Session {
        guard let id = AWSXML.value("AccessKeyId", in: body), let secret = AWSXML.value("SecretAccessKey", in: body) else {
            throw .credentialUnavailable("STS \(what) for role \(role) answered without credentials")
        }
        return Session(
            credentials: AWSCredentials(
                accessKeyID: id, secretAccessKey: MantleSecret(secret),
                sessionToken: AWSXML.value("SessionToken", in: body).map(MantleSecret.init)),
            expiration: AWSXML.value("Expiration", in: body).flatMap(AWSTime.parse),
            arn: AWSXML.value("Arn", in: body))
    }

    private static func advice(code: String, what: String) -> String {
        switch code {
        case "AccessDenied":
            what == "AssumeRoleWithWebIdentity"
                ? "; the role's trust policy must allow sts:AssumeRoleWithWebIdentity for this identity provider and subject"
                : "; the role's trust policy must allow sts:AssumeRole for the source identity, and the source must be allowed sts:AssumeRole on the role"
        case "ExpiredToken", "ExpiredTokenException": "; the source credentials or the web identity token expired: refresh them"
        case "InvalidIdentityToken":
            "; the web identity token was refused: check AWS_WEB_IDENTITY_TOKEN_FILE and the role's identity provider"
        case "InvalidClientTokenId", "SignatureDoesNotMatch": "; the source access key is unknown or its secret is wrong"
        default: ""
        }
    }
}
