import Foundation
import LonghaulCore

/// `/v1/usage`: tokens, jobs and cost by model, day or tag.
extension APIHandler {
    func getUsage(_ input: Operations.GetUsage.Input) async throws -> Operations.GetUsage.Output {
        let query = input.query
        let grouping = try UsageGrouping(parsing: query.groupBy ?? "model")
        if let from = query.from, let to = query.to, from > to {
            throw APIError.invalid("to", code: "before_from", "'to' is before 'from'")
        }
        let rows = try await usage.report(
            projectID: try await visibleProjectID(named: query.project), from: query.from, to: query.to, groupBy: grouping)
        return .ok(.init(body: .json(.init(
            object: .usageReport, groupBy: query.groupBy ?? "model", from: query.from, to: query.to,
            data: rows.map(Components.Schemas.UsageRow.init)))))
    }
}

/// `/v1/prices`: the prices usage is charged at — shipped, or the operator's over them — for any token.
extension APIHandler {
    func listPrices(_ input: Operations.ListPrices.Input) async throws -> Operations.ListPrices.Output {
        let prices = try await usage.prices()
        return .ok(.init(body: .json(.init(
            object: .list,
            data: prices.map { price in
                Components.Schemas.Price(
                    object: .price, model: price.model,
                    serviceTier: Components.Schemas.Price.ServiceTierPayload(rawValue: price.serviceTier) ?? ._default,
                    inputPerMillion: price.inputPerMillion, cachedInputPerMillion: price.cachedInputPerMillion,
                    outputPerMillion: price.outputPerMillion, currency: price.currency, source: price.source)
            }))))
    }
}
