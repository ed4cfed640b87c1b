import Foundation

/// Where bedrock-runtime calls go: a Region's public endpoint, or a base URL override (the
/// simulator, a proxy), like `MantleEndpoint`.
public struct BedrockRuntimeEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Scheme, host and optional port, without a trailing slash.
    public let root: String

    /// `https://bedrock-runtime.{region}.amazonaws.com`.
    public init(region: String) throws(MantleError) {
        let name = region.lowercased()
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw .invalidConfiguration("'\(region)' is not an AWS Region name (such as us-east-1) for bedrock-runtime")
        }
        root = "https://bedrock-runtime.\(name).amazonaws.com"
    }

    /// An explicit base URL, checked as `MantleEndpoint(baseURL:)` checks one.
    public init(baseURL: String) throws(MantleError) {
        root = try MantleEndpoint(baseURL: baseURL).root
    }

    /// The streamed invoke URL of `modelID` (`:` of versioned ids percent-encoded, as the AWS SDKs send it).
    public func invokeWithResponseStreamURL(model modelID: String) throws(MantleError) -> String {
        let allowed =
            !modelID.isEmpty
            && modelID.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.:".unicodeScalars.contains($0))
            }
        guard allowed else {
            throw .invalidRequest(param: "model", "model '\(modelID)' is not a Bedrock model id (letters, digits, '-', '_', '.', ':')")
        }
        return root + "/model/" + modelID.replacingOccurrences(of: ":", with: "%3A") + "/invoke-with-response-stream"
    }

    public var description: String { root }
}
