import Foundation
import JSONReading

/// A `POST /v1/jobs` body read from the schema check's strict parse (`StrictJSON`) instead of
/// `JSONDecoder`, which took 6.5 % of the API server's CPU (`perf` under `bench/api.sh`) to read
/// again a 2 KB body already parsed once.
///
/// It gives the generated decoder's value or nothing: anything it is not sure of — an unknown or
/// escaped key, a number with a fraction or an exponent, a date or an enum value it cannot read,
/// metadata that is not all strings — it leaves to the generated route, which then decides and
/// names the fault. `FastRouteTests` holds the two to the same value.
extension Components.Schemas.JobCreate: StrictlyReadBody {
    init(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) {
        guard case .object(let members) = value else { throw StrictJSON.Unexpected() }
        var document: String?
        self.init(document: "")
        for member in members {
            if try readShared(member, in: json) { continue }
            let value = member.value
            switch member.key {
            case "document": document = try json.string(value)
            case "run_at": runAt = try json.optionalDate(value)
            case "deadline": deadline = try json.optionalDate(value)
            case "webhook_url": webhookUrl = try json.optionalString(value)
            case "project": project = try json.optionalString(value)
            default: throw StrictJSON.Unexpected()
            }
        }
        guard let document else { throw StrictJSON.Unexpected() }
        self.document = document
    }
}
