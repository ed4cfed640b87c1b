import Foundation
import Testing

@testable import Mantle

/// One set of inputs for the short-term key, given to both the official Python generator and ours.
struct TokenCase: Sendable, CustomTestStringConvertible {
    var accessKeyID: String
    var secretAccessKey: String
    var sessionToken: String?
    var region: MantleRegion
    /// Unix seconds; Python gets the whole seconds, Swift the exact value (botocore drops fractions).
    var time: Double
    var expires: Int

    var testDescription: String { "\(region) at \(time), \(expires)s, \(sessionToken == nil ? "no session" : "session")" }

    static let cases: [TokenCase] = [
        TokenCase(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: "FQoGZXIvYXdzE+/tok==", region: .usEast1, time: 1_795_343_400, expires: 43_200),
        TokenCase(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            sessionToken: nil, region: .euWest1, time: 1_700_000_000.75, expires: 900),
        TokenCase(
            accessKeyID: "ASIAZZZZZZZZZZZZZZZZ", secretAccessKey: "a+b/c=d e%f~g",
            sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6m+9x/Token+With/Slashes==",
            region: .apSoutheast3, time: 1_835_481_599, expires: 1),  // 2028-02-29T23:59:59Z
        TokenCase(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "", region: .saEast1,
            time: 946_684_800, expires: 3_600),  // 2000-01-01T00:00:00Z; an empty token is no token
    ]
}

@Suite struct TokenInteropTests {
    private func ours(_ input: TokenCase) async throws -> String {
        var environment = ["AWS_ACCESS_KEY_ID": input.accessKeyID, "AWS_SECRET_ACCESS_KEY": input.secretAccessKey]
        environment["AWS_SESSION_TOKEN"] = input.sessionToken
        let provider = try MantleCredentialProvider(
            .awsShortTerm(profile: nil), region: input.region, environment: environment,
            tokenLifetime: .seconds(input.expires), refreshMargin: .zero,
            now: { Date(timeIntervalSince1970: input.time) }
        )
        return try await provider.bearerToken()
    }

    /// Our minter and the official `aws-bedrock-token-generator` give the same bytes.
    @Test(arguments: TokenCase.cases)
    func matchesTheOfficialPythonGenerator(input: TokenCase) async throws {
        let token = input.sessionToken.flatMap { $0.isEmpty ? nil : $0 } ?? "-"
        let official = try await PythonInterop.run(
            "bedrock_token.py",
            [input.accessKeyID, input.secretAccessKey, token, input.region.rawValue, String(Int(input.time.rounded(.down))), String(input.expires)]
        )
        #expect(official.hasPrefix("bedrock-api-key-"))
        let mine = try await ours(input)
        #expect(mine == official)
    }

    /// A fixed vector computed once with botocore 1.44.5 (the same inputs as the first case), so a
    /// change to the signer is caught even where the Python comparison reports only "differs".
    @Test func knownAnswer() async throws {
        let token = try await ours(TokenCase.cases[0])
        let payload = try Self.payload(of: token)
        #expect(
            payload
                == "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIDEXAMPLE%2F20261122%2Fus-east-1%2Fbedrock%2Faws4_request&X-Amz-Date=20261122T103000Z"
                + "&X-Amz-Expires=43200&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FQoGZXIvYXdzE%2B%2Ftok%3D%3D"
                + "&X-Amz-Signature=cba12245618276f7fefe618ddf008a88ec47cf116083affd70e6d3f8203d4f07&Version=1"
        )
    }

    /// The decoded key has the shape mantle-api.md §7 describes.
    @Test func payloadShape() async throws {
        let input = TokenCase.cases[1]
        let payload = try Self.payload(of: try await ours(input))
        let (hostAndPath, query) = try #require(payload.split(separator: "?", maxSplits: 1).map(String.init).twoParts)
        #expect(hostAndPath == "bedrock.amazonaws.com/")
        let pairs = query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        let names = pairs.map { $0[0] }
        #expect(names == ["Action", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "Version"])
        let values = Dictionary(uniqueKeysWithValues: pairs.map { ($0[0], $0.count > 1 ? $0[1] : "") })
        #expect(values["Action"] == "CallWithBearerToken")
        #expect(values["X-Amz-Credential"] == "AKIAIOSFODNN7EXAMPLE%2F20231114%2Feu-west-1%2Fbedrock%2Faws4_request")
        #expect(values["X-Amz-Date"] == "20231114T221320Z")
        #expect(values["X-Amz-Expires"] == "900")
        #expect(values["X-Amz-SignedHeaders"] == "host")
        #expect(values["Version"] == "1")
        let signature = try #require(values["X-Amz-Signature"])
        #expect(signature.count == 64 && signature.allSatisfy(\.isHexDigit))
    }

    @Test func lifetimeOutsideTwelveHoursIsRefused() {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: MantleSecret("s"))
        #expect(throws: MantleError.self) {
            try BedrockTokenMinter.mint(credentials: credentials, region: "us-east-1", date: Date(), lifetime: .seconds(43_201))
        }
        #expect(throws: MantleError.self) {
            try BedrockTokenMinter.mint(credentials: credentials, region: "us-east-1", date: Date(), lifetime: .zero)
        }
    }

    static func payload(of token: String) throws -> String {
        #expect(token.hasPrefix(BedrockTokenMinter.prefix))
        let data = try #require(Data(base64Encoded: String(token.dropFirst(BedrockTokenMinter.prefix.count))))
        return String(decoding: data, as: UTF8.self)
    }
}

extension Array {
    fileprivate var twoParts: (Element, Element)? { count == 2 ? (self[0], self[1]) : nil }
}
