import Foundation
import Testing

@testable import Mantle

@Suite struct CredentialReferenceTests {
    @Test(arguments: [
        ("env:AWS_BEARER_TOKEN_BEDROCK", MantleCredential.apiKeyEnvironment(variable: "AWS_BEARER_TOKEN_BEDROCK")),
        ("env:TEAM_A_KEY", .apiKeyEnvironment(variable: "TEAM_A_KEY")),
        ("file:/etc/longhaul/team-a.key", .apiKeyFile(path: "/etc/longhaul/team-a.key")),
        ("file:relative/key.txt", .apiKeyFile(path: "relative/key.txt")),
        ("aws", .awsShortTerm(profile: nil)),
        ("aws:prod", .awsShortTerm(profile: "prod")),
        ("  aws:prod-eu  ", .awsShortTerm(profile: "prod-eu")),
    ])
    func parses(reference: String, expected: MantleCredential) throws {
        let credential = try MantleCredential(reference: reference)
        #expect(credential == expected)
        #expect(try MantleCredential(reference: try #require(credential.reference)) == credential)
        #expect(credential.description == credential.reference)
    }

    @Test(arguments: ["", "env:", "env:BAD-NAME", "file:", "aws:", "s3:bucket", "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQ=", "bedrock-api-key-c2VjcmV0"])
    func refuses(reference: String) throws {
        let error = try #require(throws: MantleError.self) { try MantleCredential(reference: reference) }
        #expect(error.kind == .credential)
        // A pasted key must not come back in the error.
        if reference.count > 12 { #expect(!error.description.contains(reference)) }
    }

    @Test func inMemoryKeysHaveNoReference() {
        let credential = MantleCredential.apiKey(MantleSecret("bedrock-api-key-SECRET"))
        #expect(credential.reference == nil)
        #expect(!credential.description.contains("SECRET"))
    }
}

@Suite struct CredentialProviderTests {
    let start = Date(timeIntervalSince1970: 1_795_343_400)

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mantle-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func environmentKey() async throws {
        let provider = try MantleCredentialProvider(.apiKeyEnvironment(variable: "TEAM_KEY"), environment: ["TEAM_KEY": " ABSK-long-term \n"])
        #expect(try await provider.bearerToken() == "ABSK-long-term")
        let missing = try MantleCredentialProvider(.apiKeyEnvironment(variable: "NOPE"), environment: [:])
        let error = try await #require(throws: MantleError.self) { try await missing.bearerToken() }
        #expect(error.message.contains("NOPE"))
    }

    @Test func fileKeyIsReReadAfterItsLifetime() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("team.key").path
        try "first-key\n".write(toFile: path, atomically: true, encoding: .utf8)
        let clock = TestClock(start)
        let provider = try MantleCredentialProvider(
            .apiKeyFile(path: path), tokenLifetime: .seconds(900), refreshMargin: .seconds(120), now: clock.closure
        )
        #expect(try await provider.bearerToken() == "first-key")
        try "second-key".write(toFile: path, atomically: true, encoding: .utf8)
        clock.advance(seconds: 779)
        #expect(try await provider.bearerToken() == "first-key", "cached until 120 s before the lifetime ends")
        clock.advance(seconds: 1)
        #expect(try await provider.bearerToken() == "second-key")
        #expect(await provider.refreshCount == 2)

        try "".write(toFile: path, atomically: true, encoding: .utf8)
        await provider.invalidate()
        let empty = try await #require(throws: MantleError.self) { try await provider.bearerToken() }
        #expect(empty.message.contains("is empty"))
        try FileManager.default.removeItem(atPath: path)
        let gone = try await #require(throws: MantleError.self) { try await provider.bearerToken() }
        #expect(gone.message.contains(path) && gone.message.contains("does not exist"))
    }

    @Test func shortTermKeysAreCachedAndMintedAgainBeforeExpiry() async throws {
        let clock = TestClock(start)
        let provider = try MantleCredentialProvider(
            .awsShortTerm(profile: nil), region: .usEast2,
            environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "session"],
            now: clock.closure
        )
        let first = try await provider.bearerToken()
        #expect(first.hasPrefix("bedrock-api-key-"))
        #expect(try TokenInteropTests.payload(of: first).contains("X-Amz-Expires=900&"))
        clock.advance(seconds: 60)
        #expect(try await provider.bearerToken() == first)
        clock.advance(seconds: 720)  // 780 s: 120 s before the 900 s lifetime ends
        let second = try await provider.bearerToken()
        #expect(second != first)
        #expect(try TokenInteropTests.payload(of: second).contains("X-Amz-Date=20261122T104300Z"))
        #expect(await provider.refreshCount == 2)
        await provider.invalidate()
        _ = try await provider.bearerToken()
        #expect(await provider.refreshCount == 3)
    }

    @Test func sharedCredentialsFileProfiles() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("credentials").path
        try """
            # comment
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = defaultsecret

            [prod]
            AWS_ACCESS_KEY_ID=ASIAPRODUCTION
            aws_secret_access_key = prod/secret+key
            aws_session_token = prod-session-token
            ; another comment
            [assumed]
            role_arn = arn:aws:iam::123456789012:role/x
            source_profile = default
            """.write(toFile: path, atomically: true, encoding: .utf8)

        func payload(_ credential: MantleCredential, _ environment: [String: String]) async throws -> String {
            let provider = try MantleCredentialProvider(
                credential, region: .euCentral1, environment: environment.merging(["AWS_SHARED_CREDENTIALS_FILE": path, "AWS_CONFIG_FILE": path + ".none", "AWS_EC2_METADATA_DISABLED": "true"]) { $1 },
                now: { start }
            )
            return try TokenInteropTests.payload(of: try await provider.bearerToken())
        }

        let named = try await payload(.awsShortTerm(profile: "prod"), ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret"])
        #expect(named.contains("X-Amz-Credential=ASIAPRODUCTION%2F"), "a named profile ignores the environment keys")
        #expect(named.contains("X-Amz-Security-Token=prod-session-token"))
        #expect(named.contains("%2Feu-central-1%2Fbedrock%2F"))

        #expect(try await payload(.awsShortTerm(profile: nil), [:]).contains("X-Amz-Credential=AKIADEFAULT%2F"))
        #expect(try await payload(.awsShortTerm(profile: nil), ["AWS_PROFILE": "prod"]).contains("X-Amz-Credential=ASIAPRODUCTION%2F"))
        let fromEnvironment = try await payload(
            .awsShortTerm(profile: nil), ["AWS_PROFILE": "prod", "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret"]
        )
        #expect(fromEnvironment.contains("X-Amz-Credential=AKIAENV%2F"), "environment keys come first in the default chain")
        #expect(!fromEnvironment.contains("X-Amz-Security-Token"))

        let missing = try await #require(throws: MantleError.self) { try await payload(.awsShortTerm(profile: "staging"), [:]) }
        #expect(missing.message.contains("'staging'") && missing.message.contains("assumed, default, prod"))
        // A role profile needs STS; this provider has no transport (AWSCredentialChainTests assume roles through moto).
        let indirect = try await #require(throws: MantleError.self) { try await payload(.awsShortTerm(profile: "assumed"), [:]) }
        #expect(indirect.message.contains("profile 'assumed'"))
        let half = try await #require(throws: MantleError.self) { try await payload(.awsShortTerm(profile: nil), ["AWS_ACCESS_KEY_ID": "AKIAENV"]) }
        #expect(half.message.contains("AWS_SECRET_ACCESS_KEY"))
    }

    @Test func homeDirectoryCredentialsFile() async throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let provider = try MantleCredentialProvider(
            .awsShortTerm(profile: nil), region: .usWest2, environment: ["HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true"])
        let error = try await #require(throws: MantleError.self) { try await provider.bearerToken() }
        #expect(error.message.contains(home.path + "/.aws/credentials"))
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try "[default]\naws_access_key_id=AKIAHOME\naws_secret_access_key=x\n"
            .write(to: home.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
        #expect(try TokenInteropTests.payload(of: try await provider.bearerToken()).contains("AKIAHOME"))
    }

    @Test func shortTermKeysNeedARegion() {
        #expect(throws: MantleError.self) { try MantleCredentialProvider(.awsShortTerm(profile: nil)) }
        #expect(throws: MantleError.self) {
            try MantleCredentialProvider(.apiKeyEnvironment(variable: "X"), tokenLifetime: .seconds(60), refreshMargin: .seconds(60))
        }
    }
}

/// Secrets never appear in a `description`, a `dump`, or an error.
@Suite struct SecretHygieneTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let apiKey = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQ6c2VjcmV0"

    @Test func secretValuesRedactThemselves() {
        let value = MantleSecret(Self.apiKey)
        #expect(value.description == "<redacted>")
        #expect("\(value)" == "<redacted>")
        #expect(String(reflecting: value) == "<redacted>")
        var dumped = ""
        dump(value, to: &dumped)
        #expect(!dumped.contains(Self.apiKey))

        let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: MantleSecret(Self.secret), sessionToken: MantleSecret("tok"))
        #expect(!credentials.description.contains(Self.secret))
        #expect(!credentials.description.contains("AKIAIOSFODNN7EXAMPLE"))
        var dumpedCredentials = ""
        dump(credentials, to: &dumpedCredentials)
        #expect(!dumpedCredentials.contains(Self.secret))
        #expect(!String(describing: MantleCredential.apiKey(value)).contains(Self.apiKey))
    }

    @Test func providersAndTheirErrorsHoldNoSecret() async throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": Self.secret, "KEY": Self.apiKey]
        let minting = try MantleCredentialProvider(.awsShortTerm(profile: nil), region: .usEast1, environment: environment)
        let token = try await minting.bearerToken()
        #expect(!minting.description.contains(Self.secret))
        #expect(!minting.description.contains(token))
        let keyed = try MantleCredentialProvider(.apiKeyEnvironment(variable: "KEY"), environment: environment)
        _ = try await keyed.bearerToken()
        #expect(!keyed.description.contains(Self.apiKey))
        let literal = try MantleCredentialProvider(.apiKey(MantleSecret(Self.apiKey)))
        #expect(!literal.description.contains(Self.apiKey))

        // A half-configured environment: the error names the variable, not the value.
        let half = try MantleCredentialProvider(.awsShortTerm(profile: nil), region: .usEast1, environment: ["AWS_SECRET_ACCESS_KEY": Self.secret])
        let error = try await #require(throws: MantleError.self) { try await half.bearerToken() }
        #expect(!error.description.contains(Self.secret))
    }
}
