import Foundation
import TestSupport
import Testing

@Suite("longhaul credentials check")
struct CredentialsCommandTests {
    @Test("says which source answered, as whom, and whether a key can be minted — never a secret")
    func reportsTheSource() async throws {
        let home = try TemporaryFolder(prefix: "longhaul-aws-home")
        let credentials = try home.write(
            ".aws/credentials", "[ops]\naws_access_key_id = AKIAOPSEXAMPLE1234\naws_secret_access_key = ops-secret-value\n")
        let environment = [
            "HOME": home.path, "AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONFIG_FILE": home.path + "/.aws/none",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let unsetting = [
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        ]
        let run = try await LonghaulProcess.run(
            ["credentials", "check", "--profile", "ops", "--region", "eu-west-1", "--json"], environment: environment, unsetting: unsetting)
        #expect(run.exitCode == 0, "\(run.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(report["credential"] as? String == "aws:ops")
        #expect(report["method"] as? String == "shared-credentials-file")
        #expect(report["access_key"] as? String == "AKIA…1234")
        #expect((report["bearer_key"] as? String)?.contains("eu-west-1") == true)
        #expect(!run.standardOutput.contains("ops-secret-value") && !run.standardError.contains("ops-secret-value"))

        let missing = try await LonghaulProcess.run(
            ["credentials", "check", "--profile", "nope"], environment: environment, unsetting: unsetting)
        #expect(missing.exitCode == 1)
        #expect(missing.standardOutput.contains("profile 'nope' is in neither"), "\(missing.standardOutput)")

        // An IAM Identity Center profile before `aws sso login`: the fix, not a refusal of SSO.
        let config = try home.write(
            ".aws/config",
            "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n"
                + "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n")
        let sso = try await LonghaulProcess.run(
            ["credentials", "check", "--profile", "dev"], environment: environment.merging(["AWS_CONFIG_FILE": config]) { $1 },
            unsetting: unsetting)
        #expect(sso.exitCode == 1)
        #expect(sso.standardOutput.contains("sign-in of profile 'dev' (sso_session 'corp')"), "\(sso.standardOutput)")
        #expect(sso.standardOutput.contains("is not cached") && sso.standardOutput.contains("run `aws sso login --profile dev`"))
    }
}
