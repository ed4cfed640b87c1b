import Foundation
import Mantle

/// The rules a project's settings follow, whether set at creation or changed later; each
/// failure is a `StoreError.invalid` naming the field and the allowed values.
enum ProjectSettingsValidation {
    /// Where a new project sends its Responses: a known region's shape, or an http(s) base URL.
    /// A bedrock-runtime Region is named like a Mantle one (`eu-west-1`); "" (clear) passes.
    static func check(runtimeRegion: String?) throws {
        guard let runtimeRegion, !runtimeRegion.isEmpty else { return }
        do { _ = try MantleRegion(validating: runtimeRegion) } catch { throw StoreError.invalid(field: "runtime_region", message: error.message) }
    }

    static func checkEndpoint(region: String?, baseURL: String?) throws {
        guard region == nil || baseURL == nil else {
            throw StoreError.invalid(field: "base_url", message: "give a region or a base URL, not both")
        }
        if let region {
            do { _ = try MantleRegion(validating: region) } catch { throw StoreError.invalid(field: "region", message: error.message) }
        }
        if let baseURL {
            do { _ = try MantleEndpoint(baseURL: baseURL) } catch { throw StoreError.invalid(field: "base_url", message: error.message) }
        }
    }

    static func check(
        defaultModel: String?, maxInFlight: Int?, tokensPerMinute: Int?, maxAttempts: Int?, credentialReference: String?,
        mantleProjectID: String?, tags: [String: String]?
    ) throws {
        if let defaultModel, defaultModel.trimmingCharacters(in: .whitespaces).isEmpty || defaultModel.count > 200 {
            throw StoreError.invalid(field: "default_model", message: "give a model id such as openai.gpt-oss-120b")
        }
        if let maxInFlight, maxInFlight <= 0 || maxInFlight > 1_000_000 {
            throw StoreError.invalid(field: "max_in_flight", message: "max_in_flight must be between 1 and 1000000")
        }
        if let tokensPerMinute, tokensPerMinute <= 0 || tokensPerMinute > Int(Int32.max) {
            throw StoreError.invalid(field: "tokens_per_minute", message: "tokens_per_minute must be positive (at most 2147483647)")
        }
        if let maxAttempts, !(1...100).contains(maxAttempts) {
            throw StoreError.invalid(field: "max_attempts", message: "max_attempts must be between 1 and 100")
        }
        if let credentialReference, !credentialReference.isEmpty {
            do {
                _ = try MantleCredential(reference: credentialReference)
            } catch {
                throw StoreError.invalid(field: "credential_ref", message: error.message)
            }
        }
        if let mantleProjectID, !mantleProjectID.isEmpty,
            mantleProjectID.count > 128 || !mantleProjectID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        {
            throw StoreError.invalid(field: "mantle_project_id", message: "a Mantle project id looks like proj_abc123 (letters, digits, '_', '-')")
        }
        for (key, value) in tags ?? [:] where key.isEmpty || key.count > 128 || value.count > 256 {
            throw StoreError.invalid(
                field: "tags", message: "tag '\(key.prefix(40))': keys are 1–128 characters and values at most 256")
        }
    }

    /// The retry window: at least a minute (shorter would fail jobs on Mantle's ordinary bursts
    /// of 503) and at most 30 days.
    static let retryWindowRange = 60...2_592_000

    static func check(retryWindowSeconds: Int?) throws {
        if let retryWindowSeconds, !retryWindowRange.contains(retryWindowSeconds) {
            throw StoreError.invalid(
                field: "retry_window_seconds", message: "the retry window must be between 60 seconds and 30 days (2592000 seconds)")
        }
    }
}
