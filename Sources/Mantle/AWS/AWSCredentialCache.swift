import Foundation

/// When cached AWS credentials must be replaced: a pure decision, after botocore's windows.
///
/// Temporary credentials are used until 15 minutes before they expire; from then until 10
/// minutes before, a refresh is tried and a failure keeps the old ones (advisory); after that a
/// refresh must succeed (mandatory). For credentials that live less than an hour the windows
/// shrink to a half and a quarter of their life, so a short session is not refreshed at every
/// call. Long-term keys (no expiry) are read again every 5 minutes, so a rotated file is seen.
enum AWSCredentialRefresh {
    enum Decision: Equatable {
        case use
        case refreshOrKeep
        case refresh
    }

    static let staticLifetime: TimeInterval = 300

    /// How long a chain that found no credentials at all (nothing configured, and no instance
    /// metadata answered: `MantleError.noAWSCredentials`) keeps answering with that failure before
    /// it is tried again. A project with a Region on a machine without credentials otherwise waits
    /// for IMDS (1 s for its token) at every resolution, and every job of the project pays it;
    /// 30 s bounds that to one wait per half minute, and a fixed machine (keys exported, a profile
    /// written, a role attached) is seen within it. Other failures (a refusal, an outage of a
    /// configured source) are not kept: the next call tries again, as before.
    static let failureLifetime: TimeInterval = 30

    static func decide(expiration: Date?, obtainedAt: Date, now: Date) -> Decision {
        guard let expiration else { return now.timeIntervalSince(obtainedAt) < staticLifetime ? .use : .refresh }
        let lifetime = max(0, expiration.timeIntervalSince(obtainedAt))
        let remaining = expiration.timeIntervalSince(now)
        if remaining > min(900, lifetime / 2) { return .use }
        if remaining > min(600, lifetime / 4) { return .refreshOrKeep }
        return .refresh
    }
}

/// The process's AWS credentials, per credential chain (profile, AWS environment, Region): shared
/// by every project and client that resolves the same chain, refreshed before they expire, with
/// concurrent refreshes coalesced into one call to the source.
actor AWSCredentialCache {
    /// The one cache of the process.
    static let shared = AWSCredentialCache()

    /// What decides a chain's answer: the named profile, the variables it reads, the Region STS falls back to.
    struct Key: Hashable, Sendable {
        var profile: String?
        var environment: [String: String]
        var fallbackRegion: String?

        init(profile: String?, environment: [String: String], fallbackRegion: String?) {
            self.profile = profile
            self.environment = environment.filter { $0.key.hasPrefix("AWS_") || $0.key == "HOME" }
            self.fallbackRegion = fallbackRegion
        }
    }

    private var entries: [Key: AWSResolvedCredentials] = [:]
    private var inFlight: [Key: Task<Result<AWSResolvedCredentials, MantleError>, Never>] = [:]
    private var resolutions: [Key: Int] = [:]
    /// Each chain's last "no credentials at all", kept `AWSCredentialRefresh.failureLifetime`.
    private var failures: [Key: (error: MantleError, at: Date)] = [:]

    /// The credentials of `key`'s chain, from the cache while `AWSCredentialRefresh` allows.
    func credentials(
        _ key: Key, now: Date, resolve: @escaping @Sendable () async throws(MantleError) -> AWSResolvedCredentials
    ) async throws(MantleError) -> AWSResolvedCredentials {
        let current = entries[key]
        let decision =
            current.map { AWSCredentialRefresh.decide(expiration: $0.expiration, obtainedAt: $0.obtainedAt, now: now) } ?? .refresh
        if decision == .use, let current { return current }
        if let failed = failures[key], now >= failed.at, now.timeIntervalSince(failed.at) < AWSCredentialRefresh.failureLifetime {
            if decision == .refreshOrKeep, let current { return current }
            throw failed.error
        }
        switch await refresh(key, now: now, resolve) {
        case .success(let fresh):
            return fresh
        case .failure(let error):
            if decision == .refreshOrKeep, let current { return current }
            throw error
        }
    }

    /// Forgets `key`'s credentials (after a 401), so the next call resolves them again.
    func invalidate(_ key: Key) {
        entries[key] = nil
    }

    /// How many times `key`'s chain was resolved (tests check caching and coalescing with it).
    func resolutionCount(_ key: Key) -> Int { resolutions[key, default: 0] }

    /// One resolution at a time per key: a caller that finds one under way awaits it.
    private func refresh(
        _ key: Key, now: Date, _ resolve: @escaping @Sendable () async throws(MantleError) -> AWSResolvedCredentials
    ) async -> Result<AWSResolvedCredentials, MantleError> {
        if let running = inFlight[key] { return await running.value }
        resolutions[key, default: 0] += 1
        let task = Task { () async -> Result<AWSResolvedCredentials, MantleError> in
            do throws(MantleError) { return .success(try await resolve()) } catch { return .failure(error) }
        }
        inFlight[key] = task
        let result = await task.value
        inFlight[key] = nil
        switch result {
        case .success(let fresh):
            entries[key] = fresh
            failures[key] = nil
        case .failure(let error) where error.code == MantleError.noAWSCredentialsCode:
            failures[key] = (error, now)
        case .failure:
            break
        }
        return result
    }
}

/// How long a short-term Bedrock key minted now lives, and when to mint the next (pure): never
/// past the credentials' own expiry, and replaced `refreshMargin` before its end (half its
/// life when it is shorter than twice the margin).
enum ShortTermKeySchedule {
    static func plan(
        now: Date, tokenLifetime: Duration, refreshMargin: Duration, credentialsExpiration: Date?
    ) -> (lifetime: Duration, refreshAt: Date)? {
        var seconds = Double(tokenLifetime.components.seconds)
        if let credentialsExpiration { seconds = min(seconds, credentialsExpiration.timeIntervalSince(now).rounded(.down)) }
        guard seconds >= 1 else { return nil }
        let margin = min(Double(refreshMargin.components.seconds), (seconds / 2).rounded(.down))
        return (.seconds(Int64(seconds)), now.addingTimeInterval(seconds - margin))
    }
}

/// Keys read from Parameter Store and Secrets Manager, shared by every provider in the process
/// with the same reference and AWS environment: each is read again when its TTL ends or after a
/// 401, not whenever a client is rebuilt.
actor AWSStoredKeyCache {
    static let shared = AWSStoredKeyCache()

    struct Key: Hashable, Sendable {
        var reference: String
        var chain: AWSCredentialCache.Key
    }

    private var entries: [Key: (token: MantleSecret, refreshAt: Date)] = [:]

    /// The key while it is fresh at `now`.
    func key(_ key: Key, now: Date) -> (token: MantleSecret, refreshAt: Date)? {
        guard let entry = entries[key], now < entry.refreshAt else { return nil }
        return entry
    }

    func store(_ entry: (token: MantleSecret, refreshAt: Date), for key: Key) {
        entries[key] = entry
    }

    func invalidate(_ key: Key) {
        entries[key] = nil
    }
}
