import Foundation
import LonghaulCore

/// `/v1/tokens`: the admin creates tokens; everyone lists and revokes what they may see.
extension APIHandler {
    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        let projectID = try await visibleProjectID(named: input.query.project)
        let list = try await tokens.list(projectID: projectID)
        return .ok(.init(body: .json(.init(object: .list, data: list.map(Components.Schemas.Token.init)))))
    }

    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        try requireAdmin("create tokens")
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the token request as JSON") }
        let projectID: Int64?
        switch (body.admin ?? false, body.project) {
        case (true, nil): projectID = nil
        case (true, .some): throw APIError.invalid("project", "an admin token belongs to no project; leave out project or admin")
        case (false, nil): throw APIError.invalid("project", code: "missing", "name the project the token acts for, or set admin to true")
        case (false, .some(let slug)): projectID = try await project(slug: slug).id
        }
        let issued = try await tokens.create(name: body.name ?? "", projectID: projectID)
        return .created(.init(body: .json(.init(token: .init(issued.token), secret: issued.secret))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        let projectID = try RequestPrincipal.required().projectID
        return .ok(.init(body: .json(.init(try await tokens.revoke(publicID: input.path.tokenId, projectID: projectID)))))
    }
}
