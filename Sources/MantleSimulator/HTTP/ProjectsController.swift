import HTTPTypes
import Foundation
import Hummingbird

/// `/v1/organization/projects`: create, list, retrieve, modify (rename, add or remove tags), archive.
struct ProjectsController {
    typealias Context = SimulatorRequestContext
    let engine: SimulatorEngine

    private struct ProjectList: Encodable {
        let object = "list"
        let data: [ProjectObject]
        let firstID: String?
        let lastID: String?
        let hasMore = false

        enum CodingKeys: String, CodingKey {
            case object, data
            case firstID = "first_id"
            case lastID = "last_id"
            case hasMore = "has_more"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(object, forKey: .object)
            try c.encode(data, forKey: .data)
            try c.encode(firstID, forKey: .firstID)
            try c.encode(lastID, forKey: .lastID)
            try c.encode(hasMore, forKey: .hasMore)
        }
    }

    func addRoutes(to router: Router<Context>) {
        let group = router.group("v1/organization/projects")
        group.get { request, _ in
            if case .failure(let error) = admit(.readProjects, request) { return error.response }
            let includeArchived = request.uri.queryParameters["include_archived"] == "true"
            let projects = engine.projects(includeArchived: includeArchived)
            return .json(ProjectList(data: projects, firstID: projects.first?.id, lastID: projects.last?.id))
        }
        group.post { request, context in
            if case .failure(let error) = admit(.writeProjects, request) { return error.response }
            switch try await decode(CreateProjectRequest.self, request, context) {
            case .failure(let error): return error.response
            case .success(let body): return answer(engine.createProject(body))
            }
        }
        group.get(":id") { request, context in
            if case .failure(let error) = admit(.readProjects, request) { return error.response }
            let id = context.parameters.get("id") ?? ""
            guard let project = engine.project(id) else { return MantleErrorBody.projectNotFound(id).response }
            return .json(project)
        }
        group.post(":id") { request, context in
            if case .failure(let error) = admit(.writeProjects, request) { return error.response }
            let id = context.parameters.get("id") ?? ""
            switch try await decode(ModifyProjectRequest.self, request, context) {
            case .failure(let error): return error.response
            case .success(let body): return answer(engine.modifyProject(id, body))
            }
        }
        group.post(":id/archive") { request, context in
            if case .failure(let error) = admit(.writeProjects, request) { return error.response }
            return answer(engine.archiveProject(context.parameters.get("id") ?? ""))
        }
    }

    private func answer(_ result: Result<ProjectObject, MantleErrorBody>) -> Response {
        switch result {
        case .success(let project): .json(project)
        case .failure(let error): error.response
        }
    }

    private func admit(_ route: SimulatorRoute, _ request: Request) -> Result<String, MantleErrorBody> {
        engine.admit(
            route: route,
            authorization: request.headers[.authorization],
            projectHeader: request.headers[.openAIProject],
            forInference: false
        )
    }

    private func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: Context) async throws -> Result<T, MantleErrorBody> {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            return .success(try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView)))
        } catch let error as DecodingError {
            return .failure(.deserialization(error.mantleDetail))
        } catch {
            return .failure(.deserialization("the body is not valid JSON"))
        }
    }
}
