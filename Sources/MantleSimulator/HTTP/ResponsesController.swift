import Foundation
import HTTPTypes
import Hummingbird
import MantleModels

/// `POST {prefix}/responses`, `GET|DELETE {prefix}/responses/{id}`, `POST {prefix}/responses/{id}/cancel`
/// under both `/v1` and `/openai/v1`.
struct ResponsesController {
    typealias Context = SimulatorRequestContext
    let engine: SimulatorEngine

    func addRoutes(to router: Router<Context>) {
        for prefix in [ModelPathPrefix.v1, .openAIV1] {
            let group = router.group(RouterPath(String(prefix.rawValue.dropFirst())))
            group.post("responses") { request, context in try await self.create(request, context: context, prefix: prefix) }
            group.get("responses/:id") { request, context in await self.retrieve(request, context: context) }
            group.post("responses/:id/cancel") { request, context in await self.cancel(request, context: context) }
            group.delete("responses/:id") { request, context in self.delete(request, context: context) }
        }
    }

    private func admit(_ route: SimulatorRoute, _ request: Request, forInference: Bool = false) -> Result<String, MantleErrorBody> {
        engine.admit(
            route: route,
            authorization: request.headers[.authorization],
            projectHeader: request.headers[.openAIProject],
            forInference: forInference
        )
    }

    func create(_ request: Request, context: Context, prefix: ModelPathPrefix) async throws -> Response {
        let configuration = engine.configuration
        let project: String
        switch admit(.createResponse, request, forInference: true) {
        case .failure(let error): return error.response
        case .success(let id): project = id
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let answers = ResponsesAnswers(engine: engine)
        let decision = answers.create(body: [UInt8](buffer.readableBytesView), project: project, prefix: prefix, under: configuration)
        switch decision {
        case .answer(let answer):
            return answer.response
        case .withheld(let fault):
            _ = await FaultAnswer.withheld(fault, configuration: configuration, context: context)
            return .unwritten
        case .answerLost:
            await context.dropConnection()
            return .unwritten
        case .streamed(let stored, let cutHalfway):
            return streamed(stored, project: project, startingAfter: -1, cutHalfway: cutHalfway, context: context)
        case .awaited(let stored):
            let wait = stored.finishAt - SimulatorEngine.now()
            if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
            return answers.final(of: stored).response
        }
    }

    func retrieve(_ request: Request, context: Context) async -> Response {
        let configuration = engine.configuration
        let project: String
        switch admit(.retrieveResponse, request) {
        case .failure(let error): return error.response
        case .success(let id): project = id
        }
        let query = request.uri.queryParameters
        let id = context.parameters.get("id") ?? ""
        switch ResponsesAnswers(engine: engine).retrieve(id: id, stream: query["stream"] == "true", project: project, under: configuration)
        {
        case .answer(let answer):
            return answer.response
        case .withheld(let fault):
            _ = await FaultAnswer.withheld(fault, configuration: configuration, context: context)
            return .unwritten
        case .resumed(let stored):
            let pairs = Dictionary(query.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { $1 })
            return resumed(stored, project: project, query: pairs, context: context)
        }
    }

    func cancel(_ request: Request, context: Context) async -> Response {
        let project: String
        switch admit(.cancelResponse, request) {
        case .failure(let error): return error.response
        case .success(let id): project = id
        }
        if let fault = engine.drawFault(.cancel),
            let answer = await FaultAnswer.answer(fault, configuration: engine.configuration, context: context)
        {
            return answer
        }
        let id = context.parameters.get("id") ?? ""
        guard let stored = engine.cancel(id: id, project: project) else {
            return MantleErrorBody.responseNotFound(id).response
        }
        return .json(stored.object(at: SimulatorEngine.now()))
    }

    func delete(_ request: Request, context: Context) -> Response {
        let project: String
        switch admit(.deleteResponse, request) {
        case .failure(let error): return error.response
        case .success(let id): project = id
        }
        let id = context.parameters.get("id") ?? ""
        guard engine.delete(id: id, project: project) else { return MantleErrorBody.responseNotFound(id).response }
        return .json(DeletedResponse(id: id))
    }

    private struct DeletedResponse: Encodable {
        let id: String
        let object = "response"
        let deleted = true
    }
}
