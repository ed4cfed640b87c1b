import Foundation
import Logging
import LonghaulCore
import Postgres
import Prometheus

/// The operations of the OpenAPI document, one extension per resource; each reads the principal
/// the authentication middleware set, and throws `APIError` (or a store error the error
/// middleware translates) to refuse.
struct APIHandler: APIProtocol {
    let pool: PostgresPool
    let jobs: JobStore
    /// `POST /v1/jobs` writes through it: concurrent enqueues share one commit.
    let enqueues: EnqueueGroupCommit
    let batches: BatchStore
    let projects: ProjectStore
    let tokens: TokenStore
    let usage: UsageStore
    let webhooks: WebhookStore
    let deliveries: DeliveryStore
    let configuration: APIConfiguration
    let document: OpenAPIDocument
    let registry: PrometheusCollectorRegistry
    let provisioner: MantleProvisioning?
    let preflight: EndpointPreflight?
    /// The projects and model limits kept for a second (shared with the authenticator).
    let lookups: RequestLookups
    let logger: Logger

    /// The project a write acts on: a project token's own; for the admin, the one named (or `default`).
    /// Naming another project with a project token is a 404, as if it did not exist.
    func actingProject(named slug: String?) async throws -> Project {
        switch try RequestPrincipal.required() {
        case .project(let own):
            guard slug == nil || slug == own.slug else { throw APIError.notFound("project '\(slug ?? "")'") }
            return own
        case .admin:
            let slug = slug ?? "default"
            // Kept for a second: the admin's every enqueue names a project (`RequestLookups`).
            guard let project = try await lookups.projects.value(for: slug, load: { try await self.project(slug: slug) }) else {
                throw APIError.notFound("project '\(slug)'")
            }
            return project
        }
    }

    /// The project id a read is limited to: a project token's own; for the admin, the one named
    /// or none (every project).
    func visibleProjectID(named slug: String?) async throws -> Int64? {
        switch try RequestPrincipal.required() {
        case .project(let own):
            guard slug == nil || slug == own.slug else { throw APIError.notFound("project '\(slug ?? "")'") }
            return own.id
        case .admin:
            guard let slug else { return nil }
            return try await project(slug: slug).id
        }
    }

    func requireAdmin(_ action: String) throws {
        guard case .admin = try RequestPrincipal.required() else { throw APIError.adminOnly(action) }
    }

    func project(slug: String) async throws -> Project {
        do {
            return try await projects.get(slug: slug)
        } catch StoreError.notFound {
            throw APIError.notFound("project '\(slug)'")
        }
    }
}
