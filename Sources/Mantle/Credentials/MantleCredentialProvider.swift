public import Foundation

/// Turns a `MantleCredential` into the bearer token of each request, caching it and minting a
/// new short-term key before the old one expires.
///
/// Short-term keys are minted for `tokenLifetime` (15 minutes by default, the aws-samples advice)
/// and replaced `refreshMargin` (2 minutes) before they run out, so a request never carries a key
/// about to expire. Key files are re-read on the same schedule, so a rotated key is picked up.
/// After a 401, `MantleClient` calls `invalidate()` so the next request mints or reads afresh.
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
    ///   - now: the wall clock, injectable for tests.
    public init(
        _ credential: MantleCredential,
        region: MantleRegion? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
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
        let token = try await freshToken(at: start)
        refreshCount += 1
        // Renew `refreshMargin` before the end of the lifetime; keys from the environment are
        // re-read on the same schedule (cheap, and it keeps one code path).
        let seconds = Double((tokenLifetime - refreshMargin).components.seconds)
        cached = (token, start.addingTimeInterval(seconds))
        return token
    }

    /// Drops the cached token, so the next request mints a new key or reads the key again.
    public func invalidate() {
        cached = nil
    }

    private func freshToken(at date: Date) async throws(MantleError) -> MantleSecret {
        switch credential {
        case .apiKey(let key):
            return key
        case .apiKeyEnvironment(let variable):
            guard let value = environment[variable]?.trimmingWhitespace, !value.isEmpty else {
                throw .credential("environment variable \(variable) is not set or empty; export the Bedrock API key in it")
            }
            return MantleSecret(value)
        case .apiKeyFile(let path):
            guard let data = try await FileReading.contents(of: path, maxBytes: Self.maxKeyFileBytes) else {
                throw .credential("API key file \(path) does not exist; write the Bedrock API key into it")
            }
            let value = String(decoding: data, as: UTF8.self).trimmingWhitespace
            guard !value.isEmpty else { throw .credential("API key file \(path) is empty; write the Bedrock API key into it") }
            return MantleSecret(value)
        case .awsShortTerm(let profile):
            guard let region else { throw .credential("short-term Bedrock keys need a Region") }
            let credentials = try await AWSCredentialsLoader.load(profile: profile, environment: environment)
            return try BedrockTokenMinter.mint(
                credentials: credentials, region: region.rawValue, date: date, lifetime: tokenLifetime
            )
        }
    }

    /// `MantleCredentialProvider(env:NAME, us-east-1)`; never a secret.
    public nonisolated var description: String {
        "MantleCredentialProvider(\(credential)\(region.map { ", \($0)" } ?? ""))"
    }
}
