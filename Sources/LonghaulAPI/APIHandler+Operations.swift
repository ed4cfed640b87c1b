import Foundation
import Hummingbird
import LonghaulCore
import OpenAPIRuntime
import Postgres
import Prometheus

/// Health, readiness, metrics and the document: the routes that need no token.
extension APIHandler {
    func health(_ input: Operations.Health.Input) async throws -> Operations.Health.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func ready(_ input: Operations.Ready.Input) async throws -> Operations.Ready.Output {
        var checks: [String: String] = [:]
        do {
            _ = try await pool.query("SELECT 1")
            checks["database"] = "ok"
            checks["migrations"] = try await Migrator(pool: pool).isCurrent() ? "ok" : "pending: run 'longhaul migrate'"
        } catch {
            checks["database"] = "unreachable"
        }
        let ready = checks.values.allSatisfy { $0 == "ok" }
        let body = Components.Schemas.Health(status: ready ? .ok : .unavailable, checks: .init(additionalProperties: checks))
        return ready ? .ok(.init(body: .json(body))) : .serviceUnavailable(.init(body: .json(body)))
    }

    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        .ok(.init(body: .plainText(HTTPBody(registry.emitToBuffer()))))
    }

    func openAPIDocument(_ input: Operations.OpenAPIDocument.Input) async throws -> Operations.OpenAPIDocument.Output {
        .ok(.init(body: .json(document.json)))
    }
}
