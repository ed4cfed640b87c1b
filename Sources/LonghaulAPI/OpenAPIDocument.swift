import Foundation
import HTTPTypes
import OpenAPIRuntime
import Yams

/// The OpenAPI document the routes are generated from, embedded in the binary: served as JSON at
/// `GET /openapi.json`, and read for the route table that tells a 404 from a 405.
struct OpenAPIDocument: Sendable {
    let json: OpenAPIObjectContainer
    let routes: RouteTable

    static func load() throws -> OpenAPIDocument {
        let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
        guard let tree = try Yams.load(yaml: yaml) as? [String: Any] else {
            throw DocumentError(description: "the embedded openapi.yaml is not a mapping")
        }
        let data = try JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys])
        let json = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: data)
        var routes: [RouteTable.Route] = []
        for (path, item) in (tree["paths"] as? [String: Any]) ?? [:] {
            let methods = ((item as? [String: Any]) ?? [:]).keys.compactMap { HTTPRequest.Method($0.uppercased()) }
            routes.append(RouteTable.Route(template: path, methods: Set(methods)))
        }
        return OpenAPIDocument(json: json, routes: RouteTable(routes: routes))
    }

    struct DocumentError: Error, CustomStringConvertible {
        let description: String
    }
}

/// The documented paths and their methods, matched with `{parameter}` segments as wildcards.
struct RouteTable: Sendable {
    struct Route: Sendable {
        let template: String
        let methods: Set<HTTPRequest.Method>

        func matches(_ segments: [Substring]) -> Bool {
            let parts = template.split(separator: "/")
            guard parts.count == segments.count else { return false }
            return zip(parts, segments).allSatisfy { part, segment in part.hasPrefix("{") || part == segment }
        }
    }

    let routes: [Route]

    /// The methods documented for a concrete path; empty when no route has this shape.
    func methods(forPath path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/")
        let matching = routes.filter { $0.matches(segments) }
        // A literal route (`/v1/deliveries/resend`) is the one the router picks over a template
        // (`/v1/deliveries/{delivery_id}`) that also fits.
        let literal = matching.filter { !$0.template.contains("{") }
        return (literal.isEmpty ? matching : literal).reduce(into: Set()) { $0.formUnion($1.methods) }
    }
}
