import Foundation
import JSONReading

/// A `POST /v1/batches` body read from the schema check's strict parse instead of `JSONDecoder`,
/// which read again, as 19 % of the API server's CPU under `bench/api.sh`'s batches, bodies of a
/// thousand documents the check had parsed once (14 %).
///
/// As `JobCreate(strict:)`: the generated decoder's value or nothing; anything it is not sure of
/// goes to the generated route. `FastRouteTests` holds the two to the same value.
extension Components.Schemas.BatchCreate: StrictlyReadBody {
    init(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) {
        guard case .object(let members) = value else { throw StrictJSON.Unexpected() }
        var documents: [Components.Schemas.BatchDocument]?
        self.init(documents: [])
        for member in members {
            if try readShared(member, in: json) { continue }
            let value = member.value
            switch member.key {
            case "name": name = try json.optionalString(value)
            case "documents":
                guard case .array(let elements) = value else { throw StrictJSON.Unexpected() }
                var read: [Components.Schemas.BatchDocument] = []
                read.reserveCapacity(elements.count)
                for element in elements { read.append(try Components.Schemas.BatchDocument(element, in: json)) }
                documents = read
            case "webhook_url": webhookUrl = try json.optionalString(value)
            case "deadline": deadline = try json.optionalDate(value)
            case "project": project = try json.optionalString(value)
            case "dry_run": dryRun = try json.optionalBool(value)
            case "budget": budget = try Components.Schemas.BudgetSet(value, in: json)
            default: throw StrictJSON.Unexpected()
            }
        }
        guard let documents else { throw StrictJSON.Unexpected() }
        self.documents = documents
    }
}

extension Components.Schemas.BatchDocument: StrictlyReadBody {
    init(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) {
        guard case .object(let members) = value else { throw StrictJSON.Unexpected() }
        var document: String?
        self.init(document: "")
        for member in members {
            if try readShared(member, in: json) { continue }
            let value = member.value
            switch member.key {
            case "document": document = try json.string(value)
            case "custom_id": customId = try json.optionalString(value)
            default: throw StrictJSON.Unexpected()
            }
        }
        guard let document else { throw StrictJSON.Unexpected() }
        self.document = document
    }
}

extension Components.Schemas.BudgetSet {
    /// nil for null.
    fileprivate init?(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) {
        if value.isNull { return nil }
        guard case .object(let members) = value else { throw StrictJSON.Unexpected() }
        self.init()
        for member in members {
            switch member.key {
            case "max_cost": maxCost = try json.optionalWholeDouble(member.value)
            case "max_tokens": maxTokens = try json.optionalInteger(member.value)
            default: throw StrictJSON.Unexpected()
            }
        }
    }
}
