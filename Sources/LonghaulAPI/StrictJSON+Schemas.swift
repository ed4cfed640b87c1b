import Foundation
import JSONReading

/// The schema's value types read from a strict parse, for the request bodies the fast routes read
/// (`JobCreate`, `BatchCreate`): each gives the generated decoder's value or throws, so the body
/// goes to the generated route, which then decides and names the fault. (Booleans and enums:
/// `StrictJSON+Values`, shared with the simulator.)
extension StrictJSON {
    /// An RFC 3339 date, as the server's date transcoder reads it, or nil for null.
    func optionalDate(_ value: StrictJSON.Value) throws(Unexpected) -> Date? {
        guard let text = try optionalString(value) else { return nil }
        guard let date = try? RFC3339DateTranscoder().decode(text) else { throw Unexpected() }
        return date
    }

    /// Metadata, an object of strings, or nil for null.
    func optionalMetadata(_ value: StrictJSON.Value) throws(Unexpected) -> Components.Schemas.Metadata? {
        if value.isNull { return nil }
        return Components.Schemas.Metadata(additionalProperties: try stringObject(value))
    }

    /// A `number` written as an integer `Double` holds exactly (|n| ≤ 2⁵³), or nil for null. A
    /// fraction or an exponent is the generated decoder's to read: its rounding is its own.
    func optionalWholeDouble(_ value: StrictJSON.Value) throws(Unexpected) -> Double? {
        guard let integer = try optionalInteger(value) else { return nil }
        guard integer.magnitude <= 1 << 53 else { throw Unexpected() }
        return Double(integer)
    }
}

/// A request body (or a part of one) read from the schema check's strict parse: the generated
/// decoder's value, or nil for anything the reader is not sure of, which the generated route then
/// reads and, if it must, refuses by name.
protocol StrictlyReadBody {
    init(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected)
}

extension StrictlyReadBody {
    init?(strict document: StrictJSON) {
        guard let body = try? Self(document.root, in: document) else { return nil }
        self = body
    }
}

/// The members a job, a batch and a batch's document share, with the same names and types in
/// each schema: read in one place for the three.
protocol SharedJobMembers {
    var instructions: String? { get set }
    var model: String? { get set }
    var maxOutputTokens: Int? { get set }
    var reasoningEffort: Components.Schemas.ReasoningEffort? { get set }
    var serviceTier: Components.Schemas.ServiceTier? { get set }
    var metadata: Components.Schemas.Metadata? { get set }
    var priority: Int? { get set }
    var strategy: Components.Schemas.SummaryStrategy? { get set }
    var mapModel: String? { get set }
    var mapMaxOutputTokens: Int? { get set }
}

extension SharedJobMembers {
    /// Reads `member` when it is one of the shared ones; false for any other key.
    mutating func readShared(_ member: StrictJSON.Member, in json: StrictJSON) throws(StrictJSON.Unexpected) -> Bool {
        let value = member.value
        switch member.key {
        case "instructions": instructions = try json.optionalString(value)
        case "model": model = try json.optionalString(value)
        case "max_output_tokens": maxOutputTokens = try json.optionalInteger(value)
        case "reasoning_effort": reasoningEffort = try json.optionalEnum(value)
        case "service_tier": serviceTier = try json.optionalEnum(value)
        case "metadata": metadata = try json.optionalMetadata(value)
        case "priority": priority = try json.optionalInteger(value)
        case "strategy": strategy = try json.optionalEnum(value)
        case "map_model": mapModel = try json.optionalString(value)
        case "map_max_output_tokens": mapMaxOutputTokens = try json.optionalInteger(value)
        default: return false
        }
        return true
    }
}

extension Components.Schemas.JobCreate: SharedJobMembers {}
extension Components.Schemas.BatchCreate: SharedJobMembers {}
extension Components.Schemas.BatchDocument: SharedJobMembers {}
