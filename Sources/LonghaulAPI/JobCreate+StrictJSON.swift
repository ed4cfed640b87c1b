import Foundation
import Mantle

/// A `POST /v1/jobs` body read from the schema check's strict parse (`StrictJSON`) instead of
/// `JSONDecoder`, which took 6.5 % of the API server's CPU (`perf` under `bench/api.sh`) to read
/// again a 2 KB body already parsed once.
///
/// It gives the generated decoder's value or nothing: anything it is not sure of — an unknown or
/// escaped key, a number with a fraction or an exponent, a date or an enum value it cannot read,
/// metadata that is not all strings — it leaves to the generated route, which then decides and
/// names the fault. `JobEnqueueRouteTests` holds the two to the same value.
extension Components.Schemas.JobCreate {
    init?(strict document: StrictJSON) {
        guard let body = try? Self(document) else { return nil }
        self = body
    }

    private init(_ json: StrictJSON) throws(StrictJSON.Unexpected) {
        guard case .object(let members) = json.root else { throw StrictJSON.Unexpected() }
        var document: String?
        self.init(document: "")
        for member in members {
            let value = member.value
            switch member.key {
            case "document": document = try json.string(value)
            case "instructions": instructions = try json.optionalString(value)
            case "model": model = try json.optionalString(value)
            case "max_output_tokens": maxOutputTokens = try json.optionalInteger(value)
            case "reasoning_effort": reasoningEffort = try Self.enumValue(value, in: json)
            case "service_tier": serviceTier = try Self.enumValue(value, in: json)
            case "metadata": metadata = try Self.metadata(value, in: json)
            case "priority": priority = try json.optionalInteger(value)
            case "run_at": runAt = try Self.date(value, in: json)
            case "deadline": deadline = try Self.date(value, in: json)
            case "webhook_url": webhookUrl = try json.optionalString(value)
            case "project": project = try json.optionalString(value)
            case "strategy": strategy = try Self.enumValue(value, in: json)
            case "map_model": mapModel = try json.optionalString(value)
            case "map_max_output_tokens": mapMaxOutputTokens = try json.optionalInteger(value)
            default: throw StrictJSON.Unexpected()
            }
        }
        guard let document else { throw StrictJSON.Unexpected() }
        self.document = document
    }

    private static func enumValue<Value: RawRepresentable<String>>(
        _ value: StrictJSON.Value, in json: StrictJSON
    ) throws(StrictJSON.Unexpected) -> Value? {
        guard let text = try json.optionalString(value) else { return nil }
        guard let known = Value(rawValue: text) else { throw StrictJSON.Unexpected() }
        return known
    }

    private static func date(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) -> Date? {
        guard let text = try json.optionalString(value) else { return nil }
        guard let date = try? RFC3339DateTranscoder().decode(text) else { throw StrictJSON.Unexpected() }
        return date
    }

    private static func metadata(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) -> Components.Schemas.Metadata? {
        if value.isNull { return nil }
        return Components.Schemas.Metadata(additionalProperties: try json.stringObject(value))
    }
}
