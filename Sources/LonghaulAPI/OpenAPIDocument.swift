import Foundation
import Mantle
import HTTPTypes
import OpenAPIRuntime

/// The OpenAPI document the routes are generated from, embedded in the binary: served as JSON at
/// `GET /openapi.json`, and read for the route table that tells a 404 from a 405.
struct OpenAPIDocument: Sendable {
    let json: OpenAPIObjectContainer
    let routes: RouteTable
    let validator: SchemaValidator

    static func load() throws -> OpenAPIDocument {
        // openapi.json is openapi.yaml as JSON, written by scripts/generate-openapi.
        let data = Data(PackageResources.openapi_json)
        let json = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: data)
        let document = try JSONDecoder().decode(JSONValue.self, from: data)
        var routes: [RouteTable.Route] = []
        for (path, item) in document["paths"]?.object ?? [:] {
            var operations: [HTTPRequest.Method: Operation] = [:]
            for (method, operation) in item.object ?? [:] {
                guard let method = HTTPRequest.Method(method.uppercased()) else { continue }
                operations[method] = Operation(operation, in: document)
            }
            routes.append(RouteTable.Route(template: path, operations: operations))
        }
        return OpenAPIDocument(json: json, routes: RouteTable(routes: routes), validator: SchemaValidator(document: document))
    }

    /// What the validator needs of one operation: its parameters and its JSON body's schema.
    struct Operation: Sendable {
        struct Parameter: Sendable {
            let name: String
            let location: String
            let required: Bool
            let schema: JSONValue
        }

        let operationID: String?
        let parameters: [Parameter]
        let bodySchema: JSONValue?
        /// A JSON body that may be left out (`requestBody.required` false).
        let bodyIsOptional: Bool

        init(_ operation: JSONValue, in document: JSONValue) {
            operationID = operation["operationId"]?.string
            parameters = (operation["parameters"]?.array ?? []).compactMap { parameter in
                var parameter = parameter
                if let reference = parameter["$ref"]?.string, reference.hasPrefix("#/components/parameters/") {
                    guard let found = document["components"]?["parameters"]?[String(reference.dropFirst("#/components/parameters/".count))] else { return nil }
                    parameter = found
                }
                guard let name = parameter["name"]?.string, let location = parameter["in"]?.string else { return nil }
                return Parameter(name: name, location: location, required: parameter["required"]?.bool ?? false, schema: parameter["schema"] ?? .object([:]))
            }
            bodySchema = operation["requestBody"]?["content"]?["application/json"]?["schema"]
            bodyIsOptional = bodySchema != nil && operation["requestBody"]?["required"]?.bool != true
        }
    }
}

/// The documented paths and their operations, matched with `{parameter}` segments as wildcards;
/// a literal route (`/v1/deliveries/resend`) wins over a template that also fits
/// (`/v1/deliveries/{delivery_id}`), as in the router.
struct RouteTable: Sendable {
    struct Route: Sendable {
        let template: String
        let operations: [HTTPRequest.Method: OpenAPIDocument.Operation]
        /// The template's segments, split once: every request matches its path against every
        /// route, and splitting each template per request was 6 % of the server's CPU in
        /// `bench/api.sh`'s `POST /v1/jobs`.
        let parts: [Substring]
        let isLiteral: Bool

        init(template: String, operations: [HTTPRequest.Method: OpenAPIDocument.Operation]) {
            self.template = template
            self.operations = operations
            parts = template.split(separator: "/")
            isLiteral = !template.contains("{")
        }

        func matches(_ segments: [Substring]) -> Bool {
            guard parts.count == segments.count else { return false }
            return zip(parts, segments).allSatisfy { part, segment in part.hasPrefix("{") || part == segment }
        }

        /// The path parameters of a concrete path, by name.
        func parameters(in segments: [Substring]) -> [String: String] {
            var values: [String: String] = [:]
            for (part, segment) in zip(parts, segments) where part.hasPrefix("{") {
                values[String(part.dropFirst().dropLast())] = String(segment).removingPercentEncoding ?? String(segment)
            }
            return values
        }
    }

    let routes: [Route]

    /// The routes that fit a concrete path, literal ones alone when there are any.
    func matching(path: String) -> (routes: [Route], segments: [Substring]) {
        let segments = path.split(separator: "/")
        let matching = routes.filter { $0.matches(segments) }
        let literal = matching.filter(\.isLiteral)
        return (literal.isEmpty ? matching : literal, segments)
    }

    /// The operation documented for `method` at `template` (a path as the document writes it).
    func operation(_ method: HTTPRequest.Method, template: String) -> OpenAPIDocument.Operation? {
        routes.first { $0.template == template }?.operations[method]
    }

    /// The methods documented for a concrete path; empty when no route has this shape.
    func methods(forPath path: String) -> Set<HTTPRequest.Method> {
        matching(path: path).routes.reduce(into: Set()) { $0.formUnion($1.operations.keys) }
    }
}
