import Foundation

/// Where a Mantle client sends its requests: a Region's public endpoint, or a base URL override.
///
/// The override serves the simulator, proxies and test doubles. Both `http://127.0.0.1:8089` and
/// `http://127.0.0.1:8089/v1` (or `/openai/v1`) are accepted and normalised to the same root, because
/// the client appends the path prefix that the model needs.
public struct MantleEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Scheme, host, optional port and optional leading path, without a trailing slash or API prefix
    /// (e.g. `https://bedrock-mantle.us-east-1.api.aws`).
    public let root: String
    /// The Region this endpoint serves, when known; short-term keys are minted for it.
    public let region: MantleRegion?

    /// The public Mantle endpoint of `region`: `https://bedrock-mantle.{region}.api.aws`.
    public init(region: MantleRegion) {
        root = "https://bedrock-mantle.\(region.rawValue).api.aws"
        self.region = region
    }

    /// An explicit base URL (simulator, proxy), optionally tied to a Region for minting short-term keys.
    ///
    /// Throws when the URL is not `http(s)://host[:port][/path]`, or carries a query, a fragment or
    /// user info (a password in a URL would end up in logs).
    public init(baseURL: String, region: MantleRegion? = nil) throws(MantleError) {
        let trimmed = baseURL.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        guard let schemeEnd = lower.range(of: "://"),
            ["http", "https"].contains(String(lower[..<schemeEnd.lowerBound]))
        else {
            throw MantleError.invalidConfiguration(
                "the Mantle base URL must start with http:// or https:// (got '\(Self.redactedForMessage(trimmed))')"
            )
        }
        let afterScheme = trimmed[schemeEnd.upperBound...]
        if afterScheme.contains("?") || afterScheme.contains("#") || afterScheme.contains("@") {
            throw MantleError.invalidConfiguration(
                "the Mantle base URL must be scheme://host[:port][/path] with no query, fragment or user info"
            )
        }
        let hostEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        if afterScheme[..<hostEnd].isEmpty {
            throw MantleError.invalidConfiguration("the Mantle base URL has no host")
        }
        var normalised = String(trimmed[..<schemeEnd.lowerBound]).lowercased() + "://" + afterScheme
        while normalised.hasSuffix("/") { normalised.removeLast() }
        // Strip whichever API prefix the user pasted; the client adds the right one per model.
        for prefix in MantlePathPrefix.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
        where normalised.hasSuffix(prefix.rawValue) {
            normalised.removeLast(prefix.rawValue.count)
            break
        }
        while normalised.hasSuffix("/") { normalised.removeLast() }
        root = normalised
        self.region = region
    }

    /// The absolute URL of `path` (which starts with `/`) under `prefix`.
    public func url(_ prefix: MantlePathPrefix, _ path: String) -> String {
        root + prefix.rawValue + path
    }

    /// The root URL, e.g. `https://bedrock-mantle.us-east-1.api.aws`.
    public var description: String { root }

    /// Only the scheme and the first characters, so a malformed URL with a secret in it is not echoed.
    private static func redactedForMessage(_ url: String) -> String {
        url.count <= 40 ? url : String(url.prefix(40)) + "…"
    }
}
