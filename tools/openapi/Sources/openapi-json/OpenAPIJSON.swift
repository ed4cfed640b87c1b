import Foundation
import Yams

/// `openapi-json IN.yaml OUT.json`: the OpenAPI document as JSON with sorted keys, which the server
/// embeds and serves at `GET /openapi.json` (so the product needs no YAML parser).
@main
struct OpenAPIJSON {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 2, let input = arguments.first, let output = arguments.last else {
            FileHandle.standardError.write(Data("usage: openapi-json IN.yaml OUT.json\n".utf8))
            exit(2)
        }
        let yaml = try String(contentsOfFile: input, encoding: .utf8)
        guard let tree = try Yams.load(yaml: yaml) as? [String: Any] else {
            FileHandle.standardError.write(Data("openapi-json: \(input) is not a YAML mapping\n".utf8))
            exit(1)
        }
        var json = try JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        json.append(contentsOf: Array("\n".utf8))
        try json.write(to: URL(fileURLWithPath: output))
    }
}
