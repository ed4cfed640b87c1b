/// An AWS Region that serves Mantle (`bedrock-mantle.{region}.api.aws`).
///
/// The list is the one given in Longhaul's issue for the Mantle client (taken from AWS's Mantle
/// endpoints table); `shared/mantle-api.md` does not enumerate the Regions. A Region missing here
/// can still be reached with `MantleEndpoint(baseURL:)`.
public enum MantleRegion: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case usEast1 = "us-east-1"
    case usEast2 = "us-east-2"
    case usWest2 = "us-west-2"
    case apNortheast1 = "ap-northeast-1"
    case apSouth1 = "ap-south-1"
    case apSoutheast3 = "ap-southeast-3"
    case euCentral1 = "eu-central-1"
    case euNorth1 = "eu-north-1"
    case euSouth1 = "eu-south-1"
    case euWest1 = "eu-west-1"
    case euWest2 = "eu-west-2"
    case saEast1 = "sa-east-1"

    /// Parses a Region name such as `us-east-1`, or throws an error that lists the known ones.
    public init(validating name: String) throws(MantleError) {
        guard let region = MantleRegion(rawValue: name.lowercased()) else {
            let known = MantleRegion.allCases.map(\.rawValue).joined(separator: ", ")
            throw MantleError.invalidConfiguration(
                "'\(name)' is not a Mantle Region; use one of \(known), or a base URL override"
            )
        }
        self = region
    }

    /// The Region name, e.g. `us-east-1`.
    public var description: String { rawValue }
}
