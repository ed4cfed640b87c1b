import HTTPTypes
import Hummingbird

/// `GET /v1/models` and `GET /v1/models/{id}`, listing models with and without the Responses API.
///
/// The list is the whole catalogue, so every model the simulator serves is listed: Longhaul's
/// preflight refuses a batch whose model this list lacks.
struct ModelsController {
    typealias Context = SimulatorRequestContext
    let engine: SimulatorEngine

    private struct ModelObject: Encodable {
        let id: String
        let object = "model"
        let created = 1_767_225_600
        let ownedBy: String

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }

    private struct ModelList: Encodable {
        let object = "list"
        let data: [ModelObject]
    }

    func addRoutes(to router: Router<Context>) {
        router.get("v1/models") { request, _ in
            if case .failure(let error) = admit(request) { return error.response }
            return .json(ModelList(data: ModelCatalogue.models.map { ModelObject(id: $0.id, ownedBy: $0.ownedBy) }))
        }
        router.get("v1/models/:id") { request, context in
            if case .failure(let error) = admit(request) { return error.response }
            let id = context.parameters.get("id") ?? ""
            guard let model = ModelCatalogue.model(id) else {
                return MantleErrorBody.invalidRequest(
                    "The model '\(id)' does not exist or you do not have access to it.",
                    param: "model",
                    code: "model_not_found",
                    status: .notFound
                ).response
            }
            return .json(ModelObject(id: model.id, ownedBy: model.ownedBy))
        }
    }

    private func admit(_ request: Request) -> Result<String, MantleErrorBody> {
        engine.admit(
            route: .models,
            authorization: request.headers[.authorization],
            projectHeader: request.headers[.openAIProject],
            forInference: false
        )
    }
}
