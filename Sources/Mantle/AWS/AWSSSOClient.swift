import Foundation
import HTTPClient

/// IAM Identity Center credentials: the token `aws sso login` cached, refreshed through OIDC
/// `CreateToken` when it nears its end (`sso_session` sign-ins), exchanged at the portal's
/// `GetRoleCredentials` for the role's credentials. Both calls are unsigned REST-JSON carrying the
/// sign-in's token; no message ever holds a token.
struct AWSSSOClient: Sendable {
    let settings: AWSSettings
    let call: AWSServiceCall
    let now: @Sendable () -> Date

    struct Answer: Sendable {
        var credentials: AWSCredentials
        var expiration: Date?
        /// When the sign-in itself ends (then `aws sso login` again).
        var signInExpiration: Date
    }

    func roleCredentials(_ sso: AWSCredentialPlan.SSO) async throws(MantleError) -> Answer {
        let fix = "run `aws sso login --profile \(sso.profile)`"
        let signIn = "the IAM Identity Center sign-in of profile '\(sso.profile)' (\(sso.session.map { "sso_session '\($0)'" } ?? sso.startURL))"
        guard let data = try await FileReading.contents(of: sso.cacheFile, maxBytes: AWSSSOToken.maxFileBytes) else {
            throw .credential("\(signIn) is not cached (no \(sso.cacheFile)); \(fix)")
        }
        var token = try AWSSSOToken(json: data, file: sso.cacheFile, fix: fix)
        switch token.decide(session: sso.session, now: now()) {
        case .use:
            break
        case .expired:
            throw .credential("\(signIn) expired at \(AWSTime.format(token.expiresAt)); \(fix)")
        case .refresh:
            do {
                token = try await refreshed(token, sso)
                // A token that cannot be saved still serves this process; the file keeps the old
                // one, which the next resolution refreshes again.
                try? await AWSSSOToken.save(token.fileContents(startURL: sso.startURL, region: sso.region), to: sso.cacheFile)
            } catch {
                // botocore's rule: a failed refresh keeps a token that has not yet expired.
                guard token.expiresAt > now() else {
                    var error = error
                    error.message =
                        "\(signIn) expired at \(AWSTime.format(token.expiresAt)) and its refresh failed: \(error.message)"
                        + (error.isRetryable ? "" : "; \(fix)")
                    throw error
                }
            }
        }
        let (portal, _) = settings.endpoint(.sso, region: sso.region)
        let query = [("account_id", sso.accountID), ("role_name", sso.roleName)]
            .map { "\($0.0)=\(SigV4QueryPresigner.percentEncode($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers["x-amz-sso_bearer_token"] = token.accessToken.exposedValue
        let request = HTTPRequest(
            method: .get, url: portal + "/federation/credentials?" + query, headers: headers, timeout: .seconds(10),
            connectTimeout: .seconds(5), maxResponseBytes: 1 << 20)
        let body = try await send(request, what: "the IAM Identity Center portal's GetRoleCredentials at \(portal)", sso: sso, fix: fix)
        struct Reply: Decodable {
            struct Role: Decodable {
                var accessKeyId: String?
                var secretAccessKey: String?
                var sessionToken: String?
                var expiration: Double?
            }
            var roleCredentials: Role?
        }
        guard let role = (try? JSONDecoder().decode(Reply.self, from: body))?.roleCredentials, let id = role.accessKeyId, !id.isEmpty,
            let secret = role.secretAccessKey, !secret.isEmpty
        else {
            throw .credentialUnavailable("profile '\(sso.profile)': GetRoleCredentials at \(portal) answered without roleCredentials")
        }
        return Answer(
            credentials: AWSCredentials(
                accessKeyID: id, secretAccessKey: MantleSecret(secret), sessionToken: role.sessionToken.map(MantleSecret.init)),
            expiration: role.expiration.map { Date(timeIntervalSince1970: $0 / 1000) }, signInExpiration: token.expiresAt)
    }

    /// OIDC `CreateToken` with the refresh grant; the new token keeps the client registration.
    private func refreshed(_ token: AWSSSOToken, _ sso: AWSCredentialPlan.SSO) async throws(MantleError) -> AWSSSOToken {
        guard let refreshToken = token.refreshToken, let clientID = token.clientID, let clientSecret = token.clientSecret else {
            return token
        }
        let (oidc, _) = settings.endpoint(.ssoOIDC, region: sso.region)
        let payload: [String: String] = [
            "clientId": clientID, "clientSecret": clientSecret.exposedValue, "grantType": "refresh_token",
            "refreshToken": refreshToken.exposedValue,
        ]
        let request = HTTPRequest(
            method: .post, url: oidc + "/token", headers: ["Content-Type": "application/json"],
            body: (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data(), timeout: .seconds(10),
            connectTimeout: .seconds(5), maxResponseBytes: 1 << 20)
        let body = try await send(request, what: "IAM Identity Center OIDC CreateToken at \(oidc)", sso: sso, fix: nil)
        struct Reply: Decodable {
            var accessToken: String?
            var expiresIn: Double?
            var refreshToken: String?
        }
        guard let reply = try? JSONDecoder().decode(Reply.self, from: body), let access = reply.accessToken, !access.isEmpty,
            let expiresIn = reply.expiresIn
        else {
            throw .credentialUnavailable("IAM Identity Center OIDC CreateToken at \(oidc) answered without accessToken and expiresIn")
        }
        var next = token
        next.accessToken = MantleSecret(access)
        next.expiresAt = now().addingTimeInterval(expiresIn)
        if let rotated = reply.refreshToken, !rotated.isEmpty { next.refreshToken = MantleSecret(rotated) }
        return next
    }

    /// Sends an SSO call; the failure names the call, the error type AWS answered (never the body,
    /// which could echo what was sent) and the fix.
    private func send(_ request: HTTPRequest, what: String, sso: AWSCredentialPlan.SSO, fix: String?) async throws(MantleError) -> Data {
        let outcome = try await call.send({ () throws(MantleError) -> HTTPRequest in request }, errorCode: Self.errorType)
        switch outcome {
        case .noAnswer(let failure):
            throw .credentialUnavailable(
                "profile '\(sso.profile)': \(what) did not answer (\(failure.kind.rawValue)); check the network path (or AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC)"
            )
        case .answer(let response) where (200..<300).contains(response.status):
            return response.body
        case .answer(let response):
            let code = Self.errorType(response) ?? "no error type"
            let line = "profile '\(sso.profile)': \(what) answered \(response.status) \(code)"
            if response.status >= 500 || response.status == 429 { throw .credentialUnavailable(line) }
            if response.status == 404 || code == "ResourceNotFoundException" {
                throw .credential(
                    line + "; the sign-in has no role \(sso.roleName) in account \(sso.accountID): check sso_account_id and sso_role_name "
                        + "(`aws sso list-account-roles`)")
            }
            throw .credential(line + (fix.map { "; the cached sign-in was refused: \($0)" } ?? ""))
        }
    }

    /// The error type of a REST-JSON answer: the `x-amzn-ErrorType` header (before any `:`), else
    /// the body's `__type`, or OAuth's `error` for OIDC.
    static func errorType(_ response: HTTPResponse) -> String? {
        if let header = response.headers["x-amzn-ErrorType"], let name = header.split(separator: ":").first, !name.isEmpty {
            return String(name)
        }
        struct Body: Decodable {
            var __type: String?
            var error: String?
        }
        let body = try? JSONDecoder().decode(Body.self, from: response.body)
        return (body?.__type ?? body?.error).map { String($0.split(separator: "#").last ?? Substring($0)).prefix(100) }.map(String.init)
    }
}
