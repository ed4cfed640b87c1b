import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The token `aws sso login` leaves in `~/.aws/sso/cache/<sha1>.json`, with the client
/// registration that refreshes it (`sso_session` sign-ins only), and the rule for when to refresh.
struct AWSSSOToken: Sendable {
    var accessToken: MantleSecret
    var expiresAt: Date
    var refreshToken: MantleSecret?
    var clientID: String?
    var clientSecret: MantleSecret?
    /// Kept as written: it goes back into the file unchanged after a refresh.
    var registrationExpiresAt: String?

    /// botocore's advisory window: a token with less than 15 minutes left is refreshed.
    static let refreshWindow: TimeInterval = 15 * 60
    /// The largest cache file read.
    static let maxFileBytes = 64 << 10

    /// What to do with the cached token (pure).
    enum Decision: Equatable {
        case use
        /// Refresh it; if that fails, the old one is still good until it expires.
        case refresh
        case expired
    }

    /// botocore's rule: an `sso_session` token is refreshed inside the window when its refresh
    /// token and client registration are there and the registration has not expired; a legacy
    /// token (no session) is used until it expires. An expired token that cannot be refreshed
    /// needs a new sign-in.
    func decide(session: String?, now: Date) -> Decision {
        let remaining = expiresAt.timeIntervalSince(now)
        if session != nil, remaining < Self.refreshWindow, canRefresh(now: now) { return .refresh }
        return remaining > 0 ? .use : .expired
    }

    func canRefresh(now: Date) -> Bool {
        guard refreshToken != nil, clientID != nil, clientSecret != nil,
            let registration = registrationExpiresAt.flatMap(AWSTime.parse)
        else { return false }
        return registration > now
    }

    /// The file's JSON; an error naming the file (never its contents) when it is not a token.
    init(json data: Data, file: String, fix: String) throws(MantleError) {
        struct Fields: Decodable {
            var accessToken: String?
            var expiresAt: String?
            var refreshToken: String?
            var clientId: String?
            var clientSecret: String?
            var registrationExpiresAt: String?
        }
        guard let fields = try? JSONDecoder().decode(Fields.self, from: data), let token = fields.accessToken, !token.isEmpty,
            let expiresAt = fields.expiresAt.flatMap(AWSTime.parse)
        else {
            throw .credential("the SSO token cache \(file) holds no accessToken with an expiresAt; \(fix)")
        }
        self.accessToken = MantleSecret(token)
        self.expiresAt = expiresAt
        self.refreshToken = fields.refreshToken.flatMap { $0.isEmpty ? nil : MantleSecret($0) }
        self.clientID = fields.clientId
        self.clientSecret = fields.clientSecret.map(MantleSecret.init)
        self.registrationExpiresAt = fields.registrationExpiresAt
    }

    init(
        accessToken: MantleSecret, expiresAt: Date, refreshToken: MantleSecret?, clientID: String?, clientSecret: MantleSecret?,
        registrationExpiresAt: String?
    ) {
        self.accessToken = accessToken
        self.expiresAt = expiresAt
        self.refreshToken = refreshToken
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.registrationExpiresAt = registrationExpiresAt
    }

    /// The file botocore writes after a refresh: the same fields, times as `2026-12-03T10:00:00Z`.
    func fileContents(startURL: String, region: String) -> Data {
        var object: [String: String] = [
            "startUrl": startURL, "region": region, "accessToken": accessToken.exposedValue,
            "expiresAt": AWSTime.format(expiresAt),
        ]
        object["clientId"] = clientID
        object["clientSecret"] = clientSecret?.exposedValue
        object["registrationExpiresAt"] = registrationExpiresAt
        object["refreshToken"] = refreshToken?.exposedValue
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// Replaces `path` with `data` whole (a temporary file beside it, mode 0600, renamed over it),
    /// so the AWS CLI or another worker reading it at the same moment sees the old or the new
    /// token, never half of one. Runs off the cooperative pool.
    static func save(_ data: Data, to path: String) async throws(MantleError) {
        let failure: String? = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                let temporary = path + ".longhaul-\(UUID().uuidString)"
                let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
                guard descriptor >= 0 else { return continuation.resume(returning: "cannot create \(temporary) (errno \(errno))") }
                let written = data.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let count = write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                        if count <= 0 { return false }
                        offset += count
                    }
                    return true
                }
                close(descriptor)
                guard written, rename(temporary, path) == 0 else {
                    unlink(temporary)
                    return continuation.resume(returning: "cannot replace \(path) (errno \(errno))")
                }
                continuation.resume(returning: nil)
            }
        }
        if let failure { throw .credential("IAM Identity Center: the refreshed token could not be saved: \(failure)") }
    }
}
