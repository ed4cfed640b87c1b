import Mantle
import Testing

@testable import LonghaulCore

/// Where a project's bedrock-runtime calls go.
@Suite struct RuntimeEndpointTests {
    @Test func theProjectsRuntimeRegionWinsThenMantlesRegionThenItsBaseURL() throws {
        let mantle = MantleEndpoint(region: try MantleRegion(validating: "us-east-1"))
        #expect(try MantleGateway.runtimeEndpoint(region: "eu-west-1", mantle: mantle).root.contains("bedrock-runtime.eu-west-1."))
        #expect(try MantleGateway.runtimeEndpoint(region: nil, mantle: mantle).root.contains("bedrock-runtime.us-east-1."))
        let simulator = try MantleEndpoint(baseURL: "http://127.0.0.1:8089/v1")
        #expect(try MantleGateway.runtimeEndpoint(region: nil, mantle: simulator).root.hasPrefix("http://127.0.0.1:8089"))
    }
}
