import Foundation
import Hashing
import Testing

@testable import Mantle

/// IAM Identity Center profiles against botocore. moto serves neither the SSO portal nor SSO OIDC
/// (only sso-admin), so `aws_peers.py` plays both in the shapes of botocore's own service models
/// (botocore parses its answers with them); botocore resolves the same profile from the same files
/// and token cache through the same peer, and must agree on the source, the access key id, the
/// calls sent and the token cache written after a refresh.
@Suite("IAM Identity Center (SSO) profiles against botocore", .serialized)
struct AWSSSOTests {
    static let config = """
        [profile dev]
        sso_session = corp
        sso_account_id = 123456789012
        sso_role_name = Developer
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access
        [profile legacy]
        sso_start_url = https://old.awsapps.com/start
        sso_region = us-east-1
        sso_account_id = 210987654321
        sso_role_name = ReadOnly
        """

    /// A token cache entry as `aws sso login` writes it, `expiresIn` seconds from now.
    static func token(_ access: String, expiresIn: TimeInterval, refresh: String?) -> String {
        var fields: [String: String] = [
            "startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": access,
            "expiresAt": AWSTime.format(Date().addingTimeInterval(expiresIn)),
        ]
        if let refresh {
            fields["refreshToken"] = refresh
            fields["clientId"] = "client-id-1"
            fields["clientSecret"] = "client-secret-1"
            fields["registrationExpiresAt"] = AWSTime.format(Date().addingTimeInterval(30 * 86400))
        }
        return String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }

    struct Case {
        var name: String
        var profile: String
        /// The name the cache file is keyed by: the session, or the legacy start URL.
        var cacheKey: String
        var cached: String?
        /// What Longhaul's error says when it must fail (botocore fails too), nil when both resolve.
        var failure: String?
        var secrets: [String] = []
    }

    static let cases: [Case] = [
        Case(name: "sso_session, token valid", profile: "dev", cacheKey: "corp", cached: token("valid-1", expiresIn: 8 * 3600, refresh: "refresh-1")),
        Case(
            name: "sso_session, token inside the refresh window: CreateToken, then the cache rewritten",
            profile: "dev", cacheKey: "corp", cached: token("valid-2", expiresIn: 300, refresh: "refresh-2")),
        Case(
            name: "sso_session, expired, refresh refused", profile: "dev", cacheKey: "corp",
            cached: token("valid-3", expiresIn: -60, refresh: "stale-3"), failure: "InvalidGrantException",
            secrets: ["valid-3", "stale-3", "client-secret-1"]),
        Case(
            name: "legacy sso_start_url, token valid", profile: "legacy", cacheKey: "https://old.awsapps.com/start",
            cached: token("valid-4", expiresIn: 3600, refresh: nil)),
        Case(
            name: "legacy, expired (never refreshed)", profile: "legacy", cacheKey: "https://old.awsapps.com/start",
            cached: token("valid-5", expiresIn: -60, refresh: "refresh-5"), failure: "expired at", secrets: ["valid-5"]),
        Case(
            name: "sign-in refused by the portal", profile: "dev", cacheKey: "corp", cached: token("revoked-6", expiresIn: 3600, refresh: nil),
            failure: "401 UnauthorizedException", secrets: ["revoked-6"]),
        Case(name: "never signed in", profile: "dev", cacheKey: "corp", cached: nil, failure: "is not cached"),
    ]

    /// A home with the config and the cached token; returns the cache file's path.
    static func prepare(_ home: AWSHome, _ testCase: Case) throws -> String {
        _ = try home.write("config", config)
        let cache = home.url.appendingPathComponent(".aws/sso/cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let file = cache.appendingPathComponent(SHA1.hex(of: Data(testCase.cacheKey.utf8)) + ".json").path
        if let cached = testCase.cached { try cached.write(toFile: file, atomically: true, encoding: .utf8) }
        return file
    }

    @Test("each profile resolves as botocore resolves it, with the same calls and the same cache afterwards")
    func sameAsBotocore() async throws {
        try await AWSPeers.with { peers in
            for testCase in Self.cases {
                // Two copies of the same files: a refresh rewrites the cache, so each side gets its own.
                let theirs = try AWSHome(), ours = try AWSHome()
                defer {
                    theirs.remove()
                    ours.remove()
                }
                let theirFile = try Self.prepare(theirs, testCase), ourFile = try Self.prepare(ours, testCase)
                func environment(_ home: AWSHome) -> [String: String] {
                    peers.environment(
                        home: home.url,
                        ["AWS_PROFILE": testCase.profile, "AWS_ENDPOINT_URL_SSO": peers.metadata, "AWS_ENDPOINT_URL_SSO_OIDC": peers.metadata])
                }
                let oracle = try JSONDecoder().decode(
                    [String: String?].self,
                    from: Data(try await PythonInterop.run("botocore_tool.py", ["resolve"], environment: environment(theirs)).utf8))
                let botocoreCalls = try await peers.ssoCalls()
                let provider = try MantleCredentialProvider(
                    .awsShortTerm(profile: nil), region: .usEast1, environment: environment(ours), transport: peers.http)
                let result: Result<AWSResolvedCredentials, MantleError>
                do throws(MantleError) { result = .success(try await provider.awsCredentials(profile: nil)) } catch {
                    result = .failure(error)
                }
                let ourCalls = try await peers.ssoCalls()
                #expect(ourCalls == botocoreCalls, "\(testCase.name)")
                switch result {
                case .success(let resolved):
                    #expect(testCase.failure == nil, "\(testCase.name)")
                    #expect(resolved.method == "sso" && oracle["method"] == "sso", "\(testCase.name)")
                    #expect(resolved.credentials.accessKeyID == oracle["access_key"] ?? nil, "\(testCase.name)")
                    #expect(resolved.expiration != nil && resolved.signInExpiration != nil)
                case .failure(let error):
                    let expected = try #require(testCase.failure, "\(testCase.name): \(error.message)")
                    #expect(oracle["method"] == .some(nil), "\(testCase.name): botocore refuses too")
                    #expect(error.message.contains(expected), "\(testCase.name): \(error.message)")
                    #expect(error.message.contains("aws sso login --profile \(testCase.profile)"), "\(error.message)")
                    for secret in testCase.secrets { #expect(!error.description.contains(secret)) }
                }
                // The cache file afterwards: the same fields and tokens (expiresAt within a minute).
                let theirCache = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: theirFile))) as? [String: String]
                let ourCache = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ourFile))) as? [String: String]
                #expect(theirCache?.filter { $0.key != "expiresAt" } == ourCache?.filter { $0.key != "expiresAt" }, "\(testCase.name)")
                if let theirs = theirCache?["expiresAt"].flatMap(AWSTime.parse), let ours = ourCache?["expiresAt"].flatMap(AWSTime.parse) {
                    #expect(abs(theirs.timeIntervalSince(ours)) < 60)
                }
            }
        }
    }
}
