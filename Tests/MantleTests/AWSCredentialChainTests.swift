import Foundation
import HTTPClient
import Hashing
import Logging
import MantleSimulator
import Testing

@testable import Mantle

/// A temporary folder that plays `$HOME`, with the AWS files written into it.
struct AWSHome {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("aws-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The chain against real peers: moto as STS, a metadata server as IMDSv2 and the container
/// endpoint, and botocore resolving the same environment as the oracle.
@Suite("AWS credential chain against botocore and moto", .serialized)
struct AWSCredentialChainTests {
    /// One environment of the chain, and what botocore must agree on.
    struct Case {
        var name: String
        var profile: String? = nil
        var environment: [String: String] = [:]
        var config = ""
        var credentials = ""
        /// For assumed roles the keys are new at every call, so the identity is compared instead.
        var compareIdentity = false
    }

    static func cases(peers: AWSPeers, home: AWSHome) throws -> [Case] {
        let python = try PythonInterop.interpreter()
        let token = try home.write(
            "web-identity-token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bG9uZ2hhdWwifQ.c2ln\n")
        let containerToken = try home.write("container-token", "container-secret-token")
        let base = "[base]\naws_access_key_id = AKIABASEEXAMPLE\naws_secret_access_key = base/secret+key\n"
        return [
            Case(
                name: "environment", environment: ["AWS_ACCESS_KEY_ID": "AKIAENVEXAMPLE", "AWS_SECRET_ACCESS_KEY": "env-secret"],
                credentials: base),
            Case(name: "credentials file at AWS_PROFILE", environment: ["AWS_PROFILE": "base"], credentials: base),
            Case(
                name: "named profile ignores the environment", profile: "base",
                environment: ["AWS_ACCESS_KEY_ID": "AKIAENVEXAMPLE", "AWS_SECRET_ACCESS_KEY": "env-secret"], credentials: base),
            Case(name: "config file keys", config: "[default]\naws_access_key_id = AKIACONFIGEXAMPLE\naws_secret_access_key = c\n"),
            Case(
                name: "credential_process",
                config: "[profile tool]\ncredential_process = \(python) \(PythonInterop.script("credential_process.py"))\n",
                credentials: "", compareIdentity: false
            ).with(environment: ["AWS_PROFILE": "tool"]),
            Case(
                name: "assume role, two hops",
                environment: ["AWS_PROFILE": "second"],
                config: """
                    [profile second]
                    role_arn = arn:aws:iam::123456789012:role/longhaul-second
                    source_profile = first
                    role_session_name = hop2
                    [profile first]
                    role_arn = arn:aws:iam::123456789012:role/longhaul-first
                    source_profile = base
                    role_session_name = hop1

                    """,
                credentials: base, compareIdentity: true),
            // With AWS_PROFILE the environment's keys would win outright (botocore agrees); a named
            // profile skips them, and its credential_source then reads them to assume the role.
            Case(
                name: "assume role from the environment (credential_source)", profile: "ops",
                environment: ["AWS_ACCESS_KEY_ID": "AKIAENVEXAMPLE", "AWS_SECRET_ACCESS_KEY": "env-secret"],
                config:
                    "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\ncredential_source = Environment\nrole_session_name = ops1\n",
                compareIdentity: true),
            Case(
                name: "web identity (EKS IRSA)",
                environment: [
                    "AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa",
                    "AWS_ROLE_SESSION_NAME": "pod1",
                ],
                credentials: base.replacingOccurrences(of: "[base]", with: "[default]"), compareIdentity: true),
            Case(
                name: "container credentials (EKS Pod Identity)",
                environment: [
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": peers.metadata + "/container/credentials",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": containerToken,
                ]),
            Case(
                name: "EC2 instance metadata (IMDSv2)",
                environment: ["AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": peers.metadata]),
        ]
    }

    @Test("every source of the chain resolves to what botocore resolves from the same environment")
    func sameSourceAsBotocore() async throws {
        try await AWSPeers.with { peers in
            let files = try AWSHome()
            defer { files.remove() }
            for testCase in try Self.cases(peers: peers, home: files) {
                let home = try AWSHome()
                defer { home.remove() }
                _ = try home.write("config", testCase.config)
                _ = try home.write("credentials", testCase.credentials)
                let environment = peers.environment(home: home.url, testCase.environment)
                let oracle = try JSONDecoder().decode(
                    [String: String?].self,
                    from: Data(
                        try await PythonInterop.run("botocore_tool.py", ["resolve", testCase.profile ?? ""], environment: environment).utf8)
                )
                let provider = try MantleCredentialProvider(
                    .awsShortTerm(profile: testCase.profile), region: .usEast1, environment: environment, transport: peers.http)
                let ours = try await provider.awsCredentials(profile: testCase.profile)
                #expect(ours.method == oracle["method"] ?? nil, "\(testCase.name)")
                if testCase.compareIdentity {
                    let settings = try await AWSSettings.load(environment: environment, explicitProfile: testCase.profile)
                    let resolver = AWSCredentialResolver(settings: settings, transport: peers.http, fallbackRegion: nil, now: { Date() })
                    let identity = try await resolver.sts().callerIdentity(ours.credentials)
                    #expect(identity == oracle["arn"] ?? nil, "\(testCase.name)")
                    #expect(ours.credentials.accessKeyID.hasPrefix("ASIA"))
                } else {
                    #expect(ours.credentials.accessKeyID == oracle["access_key"] ?? nil, "\(testCase.name)")
                }
                // And a short-term Bedrock key comes out of each.
                #expect(try await provider.bearerToken().hasPrefix(BedrockTokenMinter.prefix))
            }
        }
    }

    @Test("instance metadata: IMDSv2 token first, cached until the refresh window, outages retried, concurrent refreshes coalesced")
    func instanceMetadataRefresh() async throws {
        try await AWSPeers.with { peers in
            let home = try AWSHome()
            defer { home.remove() }
            let environment = peers.environment(
                home: home.url, ["AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": peers.metadata])
            try await peers.control(["lifetime": 3600, "generation": 1])
            let clock = TestClock(Date())
            let provider = try MantleCredentialProvider(
                .awsShortTerm(profile: nil), region: .usWest2, environment: environment, transport: peers.http, now: clock.closure)
            let first = try await provider.awsCredentials(profile: nil)
            #expect(first.credentials.accessKeyID == "ASIAIMDS0001" && first.method == "iam-role")
            #expect(first.identity == "instance profile role longhaul-instance-role")
            var counts = try await peers.counts()
            #expect(counts["token"] == 1 && counts["credentials"] == 1 && counts["refused"] == 0)

            // 40 minutes on: 20 minutes left, outside botocore's 15-minute window: still cached.
            try await peers.control(["generation": 2])
            clock.advance(seconds: 2400)
            #expect(try await provider.awsCredentials(profile: nil).credentials.accessKeyID == "ASIAIMDS0001")
            // 50 minutes on: inside the window, refreshed; twenty callers at once make one call.
            clock.advance(seconds: 600)
            let keys = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let other = try MantleCredentialProvider(
                            .awsShortTerm(profile: nil), region: .usWest2, environment: environment, transport: peers.http,
                            now: clock.closure)
                        return try await other.awsCredentials(profile: nil).credentials.accessKeyID
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(keys == ["ASIAIMDS0002"])
            counts = try await peers.counts()
            #expect(counts["credentials"] == 2, "one refresh for twenty callers")

            // An outage of two answers is retried through; a longer one is reported, retryable, with the source.
            try await peers.control(["fail": 2, "generation": 3])
            await provider.invalidate()
            #expect(try await provider.awsCredentials(profile: nil).credentials.accessKeyID == "ASIAIMDS0003")
            try await peers.control(["fail": 10])
            await provider.invalidate()
            let error = try await #require(throws: MantleError.self) { try await provider.awsCredentials(profile: nil) }
            #expect(error.isRetryable && error.kind == .credential)
            #expect(error.message.contains("EC2 instance metadata at \(peers.metadata) answered 503"))
            #expect(!error.description.contains("secret-of-imds"))
            try await peers.control(["fail": 0])
        }
    }

    @Test("a short-term key never outlives the credentials it was minted from")
    func keyLifetimeFollowsTheCredentials() async throws {
        try await AWSPeers.with { peers in
            let home = try AWSHome()
            defer { home.remove() }
            let token = try home.write("container-token", "container-secret-token")
            let environment = peers.environment(
                home: home.url,
                [
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": peers.metadata + "/container/credentials",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": token,
                ])
            try await peers.control(["lifetime": 300, "generation": 7])
            let provider = try MantleCredentialProvider(
                .awsShortTerm(profile: nil), region: .usEast1, environment: environment, transport: peers.http)
            let payload = try TokenInteropTests.payload(of: try await provider.bearerToken())
            let expires = try #require(
                payload.split(separator: "&").first { $0.hasPrefix("X-Amz-Expires=") }.flatMap { Int($0.dropFirst("X-Amz-Expires=".count)) }
            )
            #expect(expires <= 300 && expires >= 290, "the 900 s key is cut to the credentials' 300 s")
            #expect(payload.contains("X-Amz-Credential=ASIACONTAINER0007"))

            // The token file is read at each call: a wrong token is refused, naming the endpoint.
            try await peers.control(["container_token": "rotated-token", "lifetime": 3600])
            await provider.invalidate()
            let error = try await #require(throws: MantleError.self) { try await provider.bearerToken() }
            #expect(error.message.contains("container credentials at \(peers.metadata)/container/credentials answered 401"))
            #expect(!error.isRetryable)
            _ = try home.write("container-token", "rotated-token")
            #expect(try await provider.bearerToken().hasPrefix(BedrockTokenMinter.prefix))
        }
    }

    @Test("STS refusals name the call, the role and the fix")
    func stsRefusal() async throws {
        try await AWSPeers.with { peers in
            let home = try AWSHome()
            defer { home.remove() }
            // moto refuses a session name STS would refuse (too long).
            _ = try home.write(
                "config",
                "[profile bad]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\nrole_session_name = \(String(repeating: "s", count: 80))\n"
            )
            _ = try home.write("credentials", "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n")
            let provider = try MantleCredentialProvider(
                .awsShortTerm(profile: "bad"), region: .usEast1, environment: peers.environment(home: home.url), transport: peers.http)
            let error = try await #require(throws: MantleError.self) { try await provider.bearerToken() }
            #expect(error.message.hasPrefix("profile 'bad': STS AssumeRole answered 400"), "\(error.message)")
            #expect(error.message.contains("arn:aws:iam::123456789012:role/x"))
            #expect(!error.description.contains("base-secret"))
        }
    }

    @Test("a machine without credentials waits for instance metadata once per 30 s, not at every resolution")
    func noCredentialsIsRememberedBriefly() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        let http = HTTPClient()
        // Port 1 refuses at once: instance metadata does not answer, as off EC2.
        let environment = [
            "HOME": home.url.path, "AWS_SHARED_CREDENTIALS_FILE": home.url.appendingPathComponent("credentials").path,
            "AWS_CONFIG_FILE": home.url.appendingPathComponent("config").path,
            "AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1",
        ]
        let clock = TestClock(Date())
        let provider = try MantleCredentialProvider(
            .awsShortTerm(profile: nil), region: .usEast1, environment: environment, transport: http, now: clock.closure)
        let first = try await #require(throws: MantleError.self) { try await provider.bearerToken() }
        #expect(first.message.contains("no AWS credentials found"), "\(first.message)")
        clock.advance(seconds: 20)
        let again = try await #require(throws: MantleError.self) { try await provider.bearerToken() }
        #expect(again.message == first.message)
        #expect(await provider.awsResolutionCount(profile: nil) == 1, "the failure is answered from the cache for 30 s")
        // Keys written meanwhile are seen once the 30 s are over.
        _ = try home.write("credentials", "[default]\naws_access_key_id = AKIAFIXED\naws_secret_access_key = fixed-secret\n")
        clock.advance(seconds: 11)
        #expect(try await provider.awsCredentials(profile: nil).credentials.accessKeyID == "AKIAFIXED")
        #expect(await provider.awsResolutionCount(profile: nil) == 2)
        await http.shutdown()
    }
}

/// Keys from SSM Parameter Store and Secrets Manager, read from moto with credentials the chain resolved.
@Suite("Secrets from Parameter Store and Secrets Manager")
struct AWSSecretReferenceTests {
    /// moto, and an environment whose keys may write parameters and secrets there.
    static func withAdminPeers(_ body: (AWSPeers, [String: String]) async throws -> Void) async throws {
        try await AWSPeers.with { peers in
            let home = try AWSHome()
            defer { home.remove() }
            try await body(peers, peers.environment(home: home.url, ["AWS_ACCESS_KEY_ID": "AKIAADMIN", "AWS_SECRET_ACCESS_KEY": "admin-secret"]))
        }
    }

    @Test func parametersAndSecretsAreReadAndRefreshedAfterA401() async throws {
        try await Self.withAdminPeers { peers, environment in
            _ = try await PythonInterop.run(
                "botocore_tool.py", ["put-parameter", "/longhaul/team-a/key", "key-v1"], environment: environment)
            _ = try await PythonInterop.run(
                "botocore_tool.py", ["put-parameter", "/longhaul/team-c/key", "key-v1"], environment: environment)
            _ = try await PythonInterop.run(
                "botocore_tool.py", ["put-secret", "longhaul/team-b", #"{"api_key": "sm-key-1", "other": "x"}"#], environment: environment)
            _ = try await PythonInterop.run("botocore_tool.py", ["put-secret", "longhaul/plain", "plain-key\n"], environment: environment)

            func read(_ reference: String) async throws -> String {
                try await MantleCredentialProvider(
                    try MantleCredential(reference: reference), environment: environment, transport: peers.http
                ).bearerToken()
            }
            #expect(try await read("ssm:/longhaul/team-a/key") == "key-v1")
            // Another provider of the same reference (the gateway rebuilds its clients every
            // minute) takes the key from the process's cache instead of reading it again.
            let again = try MantleCredentialProvider(
                .parameterStore(name: "/longhaul/team-a/key"), environment: environment, transport: peers.http)
            #expect(try await again.bearerToken() == "key-v1")
            #expect(await again.refreshCount == 0)
            #expect(try await read("secretsmanager:longhaul/team-b#api_key") == "sm-key-1")
            #expect(try await read("secretsmanager:longhaul/plain") == "plain-key")

            let missing = try await #require(throws: MantleError.self) { try await read("ssm:/longhaul/nope") }
            #expect(missing.message.contains("SSM parameter /longhaul/nope") && missing.message.contains("ParameterNotFound"))
            let noKey = try await #require(throws: MantleError.self) { try await read("secretsmanager:longhaul/team-b#nope") }
            #expect(noKey.message.contains("api_key, other") && !noKey.description.contains("sm-key-1"))

            // Rotation: the simulator takes only the new key; the cached old one gets a 401, the
            // client reads the parameter again and the request goes through.
            let simulator = try await MantleSimulator.start(
                configuration: MantleSimulatorConfiguration(speed: 100, seed: 3, apiKeys: ["key-v2"]), logger: Logger(label: "sim"))
            let provider = try MantleCredentialProvider(
                .parameterStore(name: "/longhaul/team-c/key"), environment: environment, transport: peers.http)
            #expect(try await provider.bearerToken() == "key-v1")
            _ = try await PythonInterop.run(
                "botocore_tool.py", ["put-parameter", "/longhaul/team-c/key", "key-v2"], environment: environment)
            let client = MantleClient(
                endpoint: try MantleEndpoint(baseURL: simulator.baseURL.absoluteString), credentials: provider, transport: peers.http)
            let listed: Result<[MantleModelInfo], MantleError>
            do throws(MantleError) { listed = .success(try await client.listModels()) } catch { listed = .failure(error) }
            await simulator.shutdown()
            #expect(try !listed.get().isEmpty)
            #expect(await provider.refreshCount == 2)
        }
    }

    @Test func webhookSigningSecretsAreReadLikeKeys() async throws {
        try await Self.withAdminPeers { peers, environment in
            _ = try await PythonInterop.run(
                "botocore_tool.py", ["put-parameter", "/hooks/signing", "whsec_c3NtLXNpZ25pbmc="], environment: environment)
            _ = try await PythonInterop.run(
                "botocore_tool.py", ["put-secret", "hooks/all", #"{"signing": "whsec_c20tc2lnbmluZw=="}"#], environment: environment)
            #expect(AWSStoredSecrets.isReference("ssm:/hooks/signing") && AWSStoredSecrets.isReference("secretsmanager:hooks/all#signing"))
            #expect(!AWSStoredSecrets.isReference("whsec_c3NtLXNpZ25pbmc=") && !AWSStoredSecrets.isReference("env:HOOK_SECRET"))

            func resolve(_ secrets: [String]) async throws -> [String] {
                try await AWSStoredSecrets.resolve(secrets, environment: environment, transport: peers.http).map(\.exposedValue)
            }
            #expect(
                try await resolve(["ssm:/hooks/signing", "whsec_cGxhaW4=", "secretsmanager:hooks/all#signing"])
                    == ["whsec_c3NtLXNpZ25pbmc=", "whsec_cGxhaW4=", "whsec_c20tc2lnbmluZw=="])
            // Read once per TTL for the whole process, as Bedrock keys kept in AWS are.
            _ = try await PythonInterop.run(
                "botocore_tool.py", ["put-parameter", "/hooks/signing", "whsec_cm90YXRlZA=="], environment: environment)
            #expect(try await resolve(["ssm:/hooks/signing"]) == ["whsec_c3NtLXNpZ25pbmc="])
            let missing = try await #require(throws: MantleError.self) { try await resolve(["whsec_cGxhaW4=", "ssm:/hooks/nope"]) }
            #expect(missing.message.contains("SSM parameter /hooks/nope") && !missing.description.contains("whsec_"))
        }
    }
}

/// The chain's decisions, with no I/O: which source a set of settings picks, and why not.
@Suite struct AWSCredentialPlanTests {
    static func settings(
        _ environment: [String: String], config: String = "", credentials: String = "", profile: String? = nil
    ) -> AWSSettings {
        AWSSettings(
            environment: environment,
            files: AWSProfileFiles(
                config: config, credentials: credentials, configPath: "/h/.aws/config", credentialsPath: "/h/.aws/credentials"),
            explicitProfile: profile)
    }

    @Test func orderFollowsTheSDKs() throws {
        let keys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"]
        let web = ["AWS_WEB_IDENTITY_TOKEN_FILE": "/t", "AWS_ROLE_ARN": "arn:aws:iam::1:role/w"]
        let container = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"]
        let file = "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\n"
        #expect(try AWSCredentialChain.plan(Self.settings(keys.merging(web) { $1 }, credentials: file)).method == "env")
        #expect(try AWSCredentialChain.plan(Self.settings(web, credentials: file)).method == "assume-role-with-web-identity")
        #expect(try AWSCredentialChain.plan(Self.settings(container, credentials: file)).method == "shared-credentials-file")
        #expect(
            try AWSCredentialChain.plan(Self.settings(container))
                == .container(url: "http://169.254.170.2/v2/credentials/abc", authorization: .none))
        #expect(try AWSCredentialChain.plan(Self.settings([:])) == .instanceMetadata(endpoint: "http://169.254.169.254", lastResort: true))
        #expect(
            try AWSCredentialChain.plan(Self.settings(["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"]))
                == .instanceMetadata(endpoint: "http://[fd00:ec2::254]", lastResort: true))
        // A role profile comes before web identity variables; a named profile ignores the environment.
        let role =
            "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n[profile base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n"
        #expect(try AWSCredentialChain.plan(Self.settings(web.merging(["AWS_PROFILE": "r"]) { $1 }, config: role)).method == "assume-role")
        #expect(try AWSCredentialChain.plan(Self.settings(keys, config: role, profile: "base")).method == "config-file")
        // An IAM Identity Center role comes before the credentials file's keys; a profile that names
        // a session but no role is not an SSO source (botocore's test).
        let sso = "[profile s]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n[sso-session corp]\nsso_start_url = https://x\nsso_region = eu-west-1\n"
        guard case .sso(let plan) = try AWSCredentialChain.plan(Self.settings(["HOME": "/h"], config: sso, credentials: "[s]\n" + file.dropFirst(10), profile: "s"))
        else { throw PlanFailure() }
        #expect(plan.cacheFile == "/h/.aws/sso/cache/\(SHA1.hex(of: Data("corp".utf8))).json" && plan.region == "eu-west-1")
        #expect(try AWSCredentialChain.plan(Self.settings([:], config: "[profile t]\nsso_session = corp\n", credentials: "[t]\n" + file.dropFirst(10), profile: "t")).method == "shared-credentials-file")
        let disabled = try #require(throws: MantleError.self) {
            try AWSCredentialChain.plan(Self.settings(["AWS_EC2_METADATA_DISABLED": "true"]))
        }
        #expect(disabled.message.contains("no AWS credentials found") && disabled.message.contains("/h/.aws/credentials"))
    }

    @Test(arguments: [
        ("[profile a]\nrole_arn = arn:r\nsource_profile = b\n[profile b]\nrole_arn = arn:r2\nsource_profile = a\n", "form a loop"),
        ("[profile a]\nrole_arn = arn:r\n", "neither source_profile nor credential_source"),
        ("[profile a]\nrole_arn = arn:r\nsource_profile = b\ncredential_source = Environment\n", "both"),
        ("[profile a]\nrole_arn = arn:r\ncredential_source = Ec2InstanceMetadata\nmfa_serial = arn:mfa\n", "MFA"),
        ("[profile a]\nrole_arn = arn:r\ncredential_source = Laptop\n", "must be Environment, Ec2InstanceMetadata or EcsContainer"),
        ("[profile a]\nrole_arn = arn:r\nsource_profile = ghost\n", "source_profile 'ghost'"),
        ("[profile a]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n", "no [sso-session corp] section"),
        (
            "[profile a]\nsso_session = c\nsso_account_id = 1\nsso_role_name = r\nsso_region = us-east-1\n[sso-session c]\nsso_region = eu-west-1\nsso_start_url = https://x\n",
            "keep one of them"
        ),
        ("[profile a]\nsso_start_url = https://x\nsso_account_id = 1\n", "lacks sso_region, sso_role_name"),
        ("[profile a]\naws_access_key_id = AKIA\n", "only one of"),
    ])
    func refusals(config: String, expected: String) {
        let error = #expect(throws: MantleError.self) { try AWSCredentialChain.plan(Self.settings([:], config: config, profile: "a")) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(error?.isRetryable == false)
    }

    @Test func chainedRolesAndSelfSourcedProfiles() throws {
        let config = """
            [profile top]
            role_arn = arn:aws:iam::1:role/top
            source_profile = middle
            external_id = ext-1
            duration_seconds = 1800
            [profile middle]
            role_arn = arn:aws:iam::1:role/middle
            source_profile = middle
            aws_access_key_id = AKIAMIDDLE
            aws_secret_access_key = m
            """
        // botocore's rule: a source profile that holds keys gives its keys, even with a role_arn;
        // a profile that is its own source assumes its role with its own keys.
        guard case .assumeRole(let top) = try AWSCredentialChain.plan(Self.settings([:], config: config, profile: "top")),
            case .assumeRole(let middle) = try AWSCredentialChain.plan(Self.settings([:], config: config, profile: "middle"))
        else {
            Issue.record("not assume-role plans")
            return
        }
        #expect(top.externalID == "ext-1" && top.durationSeconds == 1800 && top.roleARN == "arn:aws:iam::1:role/top")
        #expect(top.source.method == "config-file")
        #expect(middle.roleARN == "arn:aws:iam::1:role/middle" && middle.source.method == "config-file")
    }

    @Test(arguments: [
        ("https://example.com/creds", true), ("http://127.0.0.1:9000/c", true), ("http://localhost/c", true),
        ("http://169.254.170.23/v1/credentials", true), ("http://10.0.0.1/creds", false), ("http://169.254.169.254/latest", false),
    ])
    func containerFullURIsAreLimited(url: String, allowed: Bool) throws {
        let settings = Self.settings(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "t"])
        if allowed {
            #expect(try AWSCredentialChain.plan(settings) == .container(url: url, authorization: .token(MantleSecret("t"))))
        } else {
            #expect(throws: MantleError.self) { try AWSCredentialChain.plan(settings) }
        }
    }

    @Test func endpointsAndRegions() {
        let config = """
            [default]
            region = eu-west-3
            services = local
            [services local]
            sts =
              endpoint_url = http://127.0.0.1:4566
            sso_oidc =
              endpoint_url = http://127.0.0.1:4567
            [profile other]
            region = ap-south-1
            """
        let settings = Self.settings([:], config: config)
        #expect(settings.region() == "eu-west-3")
        #expect(settings.endpoint(.sts, region: "eu-west-3").url == "http://127.0.0.1:4566")
        #expect(settings.endpoint(.ssm, region: "eu-west-3").url == "https://ssm.eu-west-3.amazonaws.com")
        #expect(settings.endpoint(.ssoOIDC, region: "eu-west-1").url == "http://127.0.0.1:4567")
        #expect(settings.endpoint(.sso, region: "eu-west-1").url == "https://portal.sso.eu-west-1.amazonaws.com")
        #expect(Self.settings([:]).endpoint(.ssoOIDC, region: "eu-west-1").url == "https://oidc.eu-west-1.amazonaws.com")
        let global = Self.settings([:]).endpoint(.sts, region: nil)
        #expect(global.url == "https://sts.amazonaws.com" && global.signingRegion == "us-east-1")
        let overridden = Self.settings(
            ["AWS_REGION": "us-west-2", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://vpce/", "AWS_PROFILE": "other"], config: config)
        #expect(overridden.region() == "us-west-2")
        #expect(overridden.endpoint(.secretsManager, region: "us-west-2").url == "http://vpce")
        #expect(overridden.endpoint(.sts, region: "cn-north-1").url == "https://sts.cn-north-1.amazonaws.com.cn")
        #expect(Self.settings(["AWS_PROFILE": "other"], config: config).region() == "ap-south-1")
        let ignored = Self.settings(["AWS_ENDPOINT_URL": "http://x", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"])
        #expect(ignored.endpoint(.ssm, region: "us-east-1").url == "https://ssm.us-east-1.amazonaws.com")
        #expect(AWSSecretStores.region(ofARN: "arn:aws:ssm:eu-north-1:123456789012:parameter/x") == "eu-north-1")
        #expect(AWSSecretStores.region(ofARN: "/plain/name") == nil)
    }

    @Test func refreshWindowsAndKeySchedule() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let hour = start.addingTimeInterval(3600)
        #expect(AWSCredentialRefresh.decide(expiration: hour, obtainedAt: start, now: start.addingTimeInterval(2699)) == .use)
        #expect(AWSCredentialRefresh.decide(expiration: hour, obtainedAt: start, now: start.addingTimeInterval(2800)) == .refreshOrKeep)
        #expect(AWSCredentialRefresh.decide(expiration: hour, obtainedAt: start, now: start.addingTimeInterval(3001)) == .refresh)
        #expect(AWSCredentialRefresh.decide(expiration: nil, obtainedAt: start, now: start.addingTimeInterval(299)) == .use)
        #expect(AWSCredentialRefresh.decide(expiration: nil, obtainedAt: start, now: start.addingTimeInterval(300)) == .refresh)
        // A 5-minute session is used for its first half, not refreshed at every call.
        let short = start.addingTimeInterval(300)
        #expect(AWSCredentialRefresh.decide(expiration: short, obtainedAt: start, now: start.addingTimeInterval(100)) == .use)

        let plain = ShortTermKeySchedule.plan(
            now: start, tokenLifetime: .seconds(900), refreshMargin: .seconds(120), credentialsExpiration: nil)
        #expect(plain?.lifetime == .seconds(900) && plain?.refreshAt == start.addingTimeInterval(780))
        let cut = ShortTermKeySchedule.plan(
            now: start, tokenLifetime: .seconds(900), refreshMargin: .seconds(120), credentialsExpiration: start.addingTimeInterval(200.7))
        #expect(cut?.lifetime == .seconds(200) && cut?.refreshAt == start.addingTimeInterval(100))
        #expect(
            ShortTermKeySchedule.plan(
                now: start, tokenLifetime: .seconds(900), refreshMargin: .seconds(120), credentialsExpiration: start.addingTimeInterval(0.5)
            ) == nil)
    }

    @Test func retriesAndSmallParsers() {
        #expect(
            AWSServiceCall.verdict(attempt: 1, attempts: 3, firstDelay: .milliseconds(200), status: nil, code: nil)
                == .retry(after: .milliseconds(200)))
        #expect(
            AWSServiceCall.verdict(attempt: 2, attempts: 3, firstDelay: .milliseconds(200), status: 503, code: nil)
                == .retry(after: .milliseconds(400)))
        #expect(AWSServiceCall.verdict(attempt: 3, attempts: 3, firstDelay: .milliseconds(200), status: 503, code: nil) == .fail)
        #expect(
            AWSServiceCall.verdict(attempt: 1, attempts: 3, firstDelay: .milliseconds(200), status: 400, code: "Throttling")
                == .retry(after: .milliseconds(200)))
        #expect(AWSServiceCall.verdict(attempt: 1, attempts: 3, firstDelay: .milliseconds(200), status: 403, code: "AccessDenied") == .fail)
        #expect(AWSXML.value("Message", in: "<Error><Message>a &amp; b &lt;c&gt; &#233;&#x41;</Message></Error>") == "a & b <c> éA")
        #expect(
            AWSCredentialProcess.split(#"/usr/bin/tool --profile "my prof" 'it''s' a\ b"#) == [
                "/usr/bin/tool", "--profile", "my prof", "its", "a b",
            ])
        #expect(AWSCredentialProcess.split(#"tool "unclosed"#) == nil)
        #expect(AWSTime.parse("2026-12-03T10:00:00Z") == AWSTime.parse("2026-12-03T10:00:00.000Z"))
    }
}

/// Our header signer and botocore's `SigV4Auth` give the same bytes.
@Suite struct SigV4RequestSignerTests {
    @Test(arguments: [
        (
            "POST", "https://sts.us-east-1.amazonaws.com/", "Action=GetCallerIdentity&Version=2011-06-15", "sts", "us-east-1", "tok+en/=",
            [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        ),
        (
            "POST", "https://ssm.eu-west-1.amazonaws.com/", #"{"Name":"/a b","WithDecryption":true}"#, "ssm", "eu-west-1", "",
            [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AmazonSSM.GetParameter")]
        ),
        ("GET", "http://127.0.0.1:4566/path/x?b=2&a=1&a=0", "", "secretsmanager", "ap-southeast-3", "", [("X-Custom", "  two   spaces ")]),
    ])
    func matchesBotocore(
        method: String, url: String, body: String, service: String, region: String, token: String, headers: [(String, String)]
    ) async throws {
        let time = 1_795_343_400
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
        environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        environment["AWS_SESSION_TOKEN"] = token.isEmpty ? nil : token
        let official = try JSONDecoder().decode(
            [String: String].self,
            from: Data(
                try await PythonInterop.run(
                    "botocore_tool.py", ["sign", method, url, body, service, region, String(time)] + headers.map { "\($0.0)=\($0.1)" },
                    environment: environment
                ).utf8))
        let credentials = AWSCredentials(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: MantleSecret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            sessionToken: token.isEmpty ? nil : MantleSecret(token))
        let signed = try SigV4RequestSigner(credentials: credentials, region: region, service: service)
            .sign(method: method, url: url, headers: headers, body: Data(body.utf8), date: Date(timeIntervalSince1970: Double(time)))
        let ours = Dictionary(
            signed.filter { ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"].contains($0.0) }, uniquingKeysWith: { $1 })
        #expect(ours == official)
    }
}

struct PlanFailure: Error {}

extension AWSCredentialChainTests.Case {
    fileprivate func with(environment: [String: String]) -> Self {
        var copy = self
        copy.environment.merge(environment) { $1 }
        return copy
    }
}
