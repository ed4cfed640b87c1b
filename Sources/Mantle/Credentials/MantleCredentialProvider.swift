public import Foundation

/// Turns a `MantleCredential` into the bearer token of each request, caching it and minting a
/// new short-term key before the old one expires.
///
/// Short-term keys are minted for `tokenLifetime` (15 minutes by default, the aws-samples advice),
/// never past the AWS credentials' own expiry, and replaced `refreshMargin` (2 minutes) before
/// they run out, so a request never carries a key about to expire. The AWS credentials come from
/// `AWSCredentialCache.shared`, which refreshes them before they expire and coalesces concurrent
/// refreshes. Key files, parameters and secrets are re-read on the same schedule (their TTL), so
/// a rotated key is picked up. After a 401, `MantleClient` calls `invalidate()` so the next
/// request mints or reads afresh.
/// The clock is injectable for tests; it is wall-clock time because SigV4 signs a date.
public actor MantleCredentialProvider: CustomStringConvertible {
    /// The credential this provider resolves.
    public nonisolated let credential: MantleCredential
    /// The Region short-term keys are minted for.
    public nonisolated let region: MantleRegion?
    /// How long a minted key lives, and how long a key file's contents are trusted.
    public nonisolated let tokenLifetime: Duration
    /// How long before expiry a cached token is replaced.
    public nonisolated let refreshMargin: Duration

    private let environment: [String: String]
    private let transport: (any MantleTransport)?
    private let now: @Sendable () -> Date
    private var cached: (token: MantleSecret, refreshAt: Date)?
    /// How many tokens were minted or read so far (tests check caching with it).
    public private(set) var refreshCount = 0

    /// The longest API key file read.
    static let maxKeyFileBytes = 64 << 10

    /// A provider for `credential`.
    ///
    /// - Parameters:
    ///   - region: required for `.awsShortTerm`: a short-term key works only in the Region that minted it.
    ///   - environment: where `env:` keys and AWS variables are read (the process environment by default).
    ///   - transport: how STS, SSM, Secrets Manager, the container endpoint and instance metadata are
    ///     reached; needed by every AWS source but environment keys, profile keys and `credential_process`.
    ///   - now: the wall clock, injectable for tests.
    public init(
        _ credential: MantleCredential,
        region: MantleRegion? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        transport: (any MantleTransport)? = nil,
        tokenLifetime: Duration = .seconds(900),
        refreshMargin: Duration = .seconds(120),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(MantleError) {
        if case .awsShortTerm = credential, region == nil {
            throw .credential("short-term Bedrock keys are minted for one Region; give the project a Region (with --base-url, add --region)")
        }
        guard tokenLifetime > .zero, tokenLifetime <= BedrockTokenMinter.maximumLifetime,
            refreshMargin >= .zero, refreshMargin < tokenLifetime
        else {
            throw .credential("token lifetime must be within (0, 12 h] and the refresh margin shorter than it")
        }
        self.credential = credential
        self.region = region
        self.environment = environment
        self.transport = transport
        self.tokenLifetime = tokenLifetime
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// The bearer token for the next request (without the `Bearer ` prefix).
    public func bearerToken() async throws(MantleError) -> String {
        try await token().exposedValue
    }

    /// The bearer token as a secret value, from the cache while it is fresh.
    public func token() async throws(MantleError) -> MantleSecret {
        let start = now()
        if let cached, start < cached.refreshAt { return cached.token }
        let stored = storedKeyCacheKey
        if let stored, let shared = await AWSStoredKeyCache.shared.key(stored, now: start) {
            cached = shared
            return shared.token
        }
        let (token, refreshAt) = try await freshToken(at: start)
        refreshCount += 1
        // Renew `refreshMargin` before the end of the lifetime; keys from the environment are
        // re-read on the same schedule (cheap, and it keeps one code path).
        let entry = (token: token, refreshAt: refreshAt ?? start.addingTimeInterval(Double((tokenLifetime - refreshMargin).components.seconds)))
        cached = entry
        if let stored { await AWSStoredKeyCache.shared.store(entry, for: stored) }
        return token
    }

    /// For keys kept in AWS: the key of the process-wide cache, so that a client rebuilt with the
    /// same reference (the gateway rebuilds them every minute) does not read the store again.
    private var storedKeyCacheKey: AWSStoredKeyCache.Key? {
        switch credential {
        case .parameterStore, .secretsManager: AWSStoredKeyCache.Key(reference: credential.description, chain: cacheKey(profile: nil))
        case .apiKey, .apiKeyEnvironment, .apiKeyFile, .awsShortTerm: nil
        }
    }

    /// Drops the cached token, and the AWS credentials it came from, so the next request mints a
    /// new key or reads the key again.
    public func invalidate() async {
        cached = nil
        switch credential {
        case .awsShortTerm(let profile): await AWSCredentialCache.shared.invalidate(cacheKey(profile: profile))
        case .parameterStore, .secretsManager:
            await AWSCredentialCache.shared.invalidate(cacheKey(profile: nil))
            if let stored = storedKeyCacheKey { await AWSStoredKeyCache.shared.invalidate(stored) }
        case .apiKey, .apiKeyEnvironment, .apiKeyFile: break
        }
    }

    /// The AWS credentials behind `aws`/`aws:PROFILE` (or behind `ssm:`/`secretsmanager:`), with
    /// their source; `longhaul credentials check` shows them.
    public func awsCredentials(profile: String?) async throws(MantleError) -> AWSResolvedCredentials {
        let key = cacheKey(profile: profile)
        let environment = environment, transport = transport, now = now, fallback = region?.rawValue
        return try await AWSCredentialCache.shared.credentials(key, now: now()) { () async throws(MantleError) -> AWSResolvedCredentials in
            let settings = try await AWSSettings.load(environment: environment, explicitProfile: profile)
            let plan = try AWSCredentialChain.plan(settings)
            return try await AWSCredentialResolver(settings: settings, transport: transport, fallbackRegion: fallback, now: now).resolve(plan)
        }
    }

    /// How many times this provider's AWS chain was resolved in this process (tests).
    func awsResolutionCount(profile: String?) async -> Int {
        await AWSCredentialCache.shared.resolutionCount(cacheKey(profile: profile))
    }

    private func cacheKey(profile: String?) -> AWSCredentialCache.Key {
        AWSCredentialCache.Key(profile: profile, environment: environment, fallbackRegion: region?.rawValue)
    }

    /// A new token, and when to replace it (nil: the default schedule).
    private func freshToken(at date: Date) async throws(MantleError) -> (MantleSecret, Date?) {
        switch credential {
        case .apiKey(let key):
            return (key, nil)
        case .apiKeyEnvironment(let variable):
            guard let value = environment[variable]?.trimmingWhitespace, !value.isEmpty else {
                throw .credential("environment variable \(variable) is not set or empty; export the Bedrock API key in it")
            }
            return (MantleSecret(value), nil)
        case .apiKeyFile(let path):
            guard let data = try await FileReading.contents(of: path, maxBytes: Self.maxKeyFileBytes) else {
                throw .credential("API key file \(path) does not exist; write the Bedrock API key into it")
            }
            let value = String(decoding: data, as: UTF8.self).trimmingWhitespace
            guard !value.isEmpty else { throw .credential("API key file \(path) is empty; write the Bedrock API key into it") }
            return (MantleSecret(value), nil)
        case .awsShortTerm(let profile):
            guard let region else { throw .credential("short-term Bedrock keys need a Region") }
            var resolved = try await awsCredentials(profile: profile)
            var schedule = ShortTermKeySchedule.plan(
                now: date, tokenLifetime: tokenLifetime, refreshMargin: refreshMargin, credentialsExpiration: resolved.expiration)
            if schedule == nil {
                // The cached credentials are spent: resolve them again, once.
                await AWSCredentialCache.shared.invalidate(cacheKey(profile: profile))
                resolved = try await awsCredentials(profile: profile)
                schedule = ShortTermKeySchedule.plan(
                    now: date, tokenLifetime: tokenLifetime, refreshMargin: refreshMargin, credentialsExpiration: resolved.expiration)
            }
            guard let schedule else {
                throw .credentialUnavailable("the AWS credentials from \(resolved.source) have expired and the source gave no fresh ones")
            }
            let key = try BedrockTokenMinter.mint(credentials: resolved.credentials, region: region.rawValue, date: date, lifetime: schedule.lifetime)
            return (key, schedule.refreshAt)
        case .parameterStore(let name):
            let (stores, credentials, region) = try await secretStores(for: name, kind: "SSM parameter")
            return (try await stores.parameter(name, region: region, credentials: credentials), nil)
        case .secretsManager(let id, let jsonKey):
            let (stores, credentials, region) = try await secretStores(for: id, kind: "Secrets Manager secret")
            return (try await stores.secret(id, jsonKey: jsonKey, region: region, credentials: credentials), nil)
        }
    }

    /// The reader of parameters and secrets, the default chain's credentials, and the Region:
    /// the ARN's, else `AWS_REGION`/`AWS_DEFAULT_REGION`/the profile's, else the project's.
    private func secretStores(for name: String, kind: String) async throws(MantleError) -> (AWSSecretStores, AWSCredentials, String) {
        let settings = try await AWSSettings.load(environment: environment, explicitProfile: nil)
        guard let region = AWSSecretStores.region(ofARN: name) ?? settings.region() ?? self.region?.rawValue else {
            throw .credential("\(kind) \(name): no Region to read it in; use its ARN, set AWS_REGION, or give the project a Region")
        }
        guard let transport else {
            throw .invalidConfiguration("\(kind) \(name) needs HTTP calls, and this credential provider was given no transport")
        }
        let credentials: AWSCredentials
        do {
            credentials = try await awsCredentials(profile: nil).credentials
        } catch {
            var error = error
            error.message = "\(kind) \(name): the AWS credentials to read it: \(error.message)"
            throw error
        }
        return (AWSSecretStores(settings: settings, call: AWSServiceCall(transport: transport), now: now), credentials, region)
    }

    /// `MantleCredentialProvider(env:NAME, us-east-1)`; never a secret.
    public nonisolated var description: String {
        "MantleCredentialProvider(\(credential)\(region.map { ", \($0)" } ?? ""))"
    }
}
