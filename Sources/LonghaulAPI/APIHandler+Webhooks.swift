import Foundation
import LonghaulCore

/// `/v1/webhook-endpoints` and `/v1/deliveries`: where events go, and the log of what went.
extension APIHandler {
    func listWebhookEndpoints(_ input: Operations.ListWebhookEndpoints.Input) async throws -> Operations.ListWebhookEndpoints.Output {
        let projectIDs: [Int64]
        if let projectID = try await visibleProjectID(named: input.query.project) {
            projectIDs = [projectID]
        } else {
            projectIDs = try await projects.list(includeArchived: true).map(\.id)
        }
        var data: [Components.Schemas.WebhookEndpoint] = []
        for projectID in projectIDs {
            let slug = try await projects.get(id: projectID).slug
            data += try await webhooks.endpoints(projectID: projectID).map { .init($0, project: slug) }
        }
        return .ok(.init(body: .json(.init(object: .list, data: data))))
    }

    func createWebhookEndpoint(_ input: Operations.CreateWebhookEndpoint.Input) async throws -> Operations.CreateWebhookEndpoint.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the endpoint as JSON") }
        let project = try await actingProject(named: body.project)
        if body.url.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw APIError.invalid("url", code: "binary", "url contains a NUL character")
        }
        let types = (body.eventTypes ?? []).compactMap { WebhookEventType(rawValue: $0.rawValue) }
        let (endpoint, secret) = try await webhooks.addEndpoint(
            projectID: project.id, url: body.url, eventTypes: Array(Set(types)).sorted { $0.rawValue < $1.rawValue },
            includeResult: body.includeResult ?? false, secretReference: body.secret)
        return .created(.init(body: .json(.init(endpoint: .init(endpoint, project: project.slug), secret: secret.secret))))
    }

    func getWebhookEndpoint(_ input: Operations.GetWebhookEndpoint.Input) async throws -> Operations.GetWebhookEndpoint.Output {
        let (projectID, slug) = try await endpointOwner(input.path.endpointId)
        let endpoint = try await webhooks.endpoint(projectID: projectID, publicID: input.path.endpointId)
        return .ok(.init(body: .json(.init(endpoint, project: slug))))
    }

    func updateWebhookEndpoint(_ input: Operations.UpdateWebhookEndpoint.Input) async throws -> Operations.UpdateWebhookEndpoint.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the change as JSON") }
        let (projectID, slug) = try await endpointOwner(input.path.endpointId)
        let endpoint = try await webhooks.setEnabled(body.enabled, projectID: projectID, publicID: input.path.endpointId)
        return .ok(.init(body: .json(.init(endpoint, project: slug))))
    }

    func deleteWebhookEndpoint(_ input: Operations.DeleteWebhookEndpoint.Input) async throws -> Operations.DeleteWebhookEndpoint.Output {
        let (projectID, _) = try await endpointOwner(input.path.endpointId)
        try await webhooks.removeEndpoint(projectID: projectID, publicID: input.path.endpointId)
        return .noContent(.init())
    }

    func rotateWebhookSecret(_ input: Operations.RotateWebhookSecret.Input) async throws -> Operations.RotateWebhookSecret.Output {
        let (projectID, _) = try await endpointOwner(input.path.endpointId)
        let issued = try await webhooks.rotateSecret(projectID: projectID, endpoint: input.path.endpointId)
        return .ok(.init(body: .json(.init(secret: issued.secret, previousSecretExpiresAt: issued.previousExpiresAt))))
    }

    func rotateProjectWebhookSecret(_ input: Operations.RotateProjectWebhookSecret.Input) async throws -> Operations.RotateProjectWebhookSecret.Output {
        guard let projectID = try await visibleProjectID(named: input.path.project) else { throw APIError.internalError }
        let issued = try await webhooks.rotateSecret(projectID: projectID, endpoint: nil)
        return .ok(.init(body: .json(.init(secret: issued.secret, previousSecretExpiresAt: issued.previousExpiresAt))))
    }

    func listDeliveries(_ input: Operations.ListDeliveries.Input) async throws -> Operations.ListDeliveries.Output {
        let query = input.query
        let limit = query.limit ?? 50
        guard (1...1000).contains(limit) else { throw APIError.invalid("limit", code: "out_of_range", "limit is \(limit); it must be 1 to 1000") }
        let list = try await deliveries.list(
            projectID: try await visibleProjectID(named: query.project),
            state: query.state.flatMap { DeliveryState(rawValue: $0.rawValue) }, jobPublicID: query.job, limit: limit)
        return .ok(.init(body: .json(.init(object: .list, data: list.map(Components.Schemas.Delivery.init)))))
    }

    func getDelivery(_ input: Operations.GetDelivery.Input) async throws -> Operations.GetDelivery.Output {
        let projectID = try RequestPrincipal.required().projectID
        return .ok(.init(body: .json(.init(try await deliveries.detail(publicID: input.path.deliveryId, projectID: projectID)))))
    }

    func redeliver(_ input: Operations.Redeliver.Input) async throws -> Operations.Redeliver.Output {
        let projectID = try RequestPrincipal.required().projectID
        return .accepted(.init(body: .json(.init(try await deliveries.redeliver(publicID: input.path.deliveryId, projectID: projectID)))))
    }

    func resendDeliveries(_ input: Operations.ResendDeliveries.Input) async throws -> Operations.ResendDeliveries.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the request as JSON") }
        let projectID = try await visibleProjectID(named: body.project)
        let count = try await deliveries.resend(since: body.since, projectID: projectID, includeCancelled: body.includeCancelled ?? false)
        return .accepted(.init(body: .json(.init(resent: count))))
    }

    /// The project an endpoint belongs to, if the caller may see it; otherwise a 404.
    private func endpointOwner(_ publicID: String) async throws -> (id: Int64, slug: String) {
        switch try RequestPrincipal.required() {
        case .project(let own):
            _ = try await webhooks.endpoint(projectID: own.id, publicID: publicID)
            return (own.id, own.slug)
        case .admin:
            let projectID = try await webhooks.projectID(ofEndpoint: publicID)
            return (projectID, try await projects.get(id: projectID).slug)
        }
    }
}
