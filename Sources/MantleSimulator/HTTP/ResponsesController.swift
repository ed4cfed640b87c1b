import HTTPTypes
import Foundation
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
        let project: String
        switch admit(.createResponse, request, forInference: true) {
        case .failure(let error): return error.response
        case .success(let id): project = id
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let bytes = [UInt8](buffer.readableBytesView)
        let body: CreateResponseRequest
        do {
            body = try CreateResponseRequest(strictJSON: bytes) ?? JSONDecoder().decode(CreateResponseRequest.self, from: Data(bytes))
        } catch let error as DecodingError {
            return MantleErrorBody.deserialization(error.mantleDetail).response
        } catch {
            return MantleErrorBody.deserialization("the body is not valid JSON").response
        }
        guard let modelID = body.model, !modelID.isEmpty else { return MantleErrorBody.missingModel.response }
        if let problem = ModelCatalogue.responsesProblem(model: modelID, prefix: prefix) { return problem.response }
        guard let model = ModelCatalogue.model(modelID) else { return MantleErrorBody.missingModel.response }
        if let maxOutput = body.maxOutputTokens, maxOutput < 16 {
            return MantleErrorBody.invalidRequest(
                "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got \(maxOutput) instead.",
                param: "max_output_tokens",
                code: "integer_below_min_value"
            ).response
        }
        guard body.input != nil else {
            return MantleErrorBody.invalidRequest("Missing required parameter: 'input'.", param: "input", code: "missing_required_parameter").response
        }
        if let previous = body.previousResponseID, engine.response(id: previous, project: project) == nil {
            return MantleErrorBody.responseNotFound(previous).response
        }

        let streaming = body.stream == true
        if streaming && body.background == true && engine.configuration.backgroundStreamRefusedModels.contains(modelID) {
            return MantleErrorBody.invalidRequest(
                "Streaming is not supported for background responses with model '\(modelID)'.", param: "stream",
                code: "unsupported_parameter"
            ).response
        }

        let inputTokens = AnswerWriter.inputTokens(of: body)
        let limits = model.limits.scaled(by: engine.configuration.contextWindowScale)
        if let refusal = ContextWindowCheck.problem(inputTokens: inputTokens, maxOutputTokens: body.maxOutputTokens, limits: limits) {
            return refusal.response
        }

        let fault = engine.drawFault(.create)
        if let fault, let answer = await FaultAnswer.answer(fault, configuration: engine.configuration, context: context) {
            return answer
        }

        let outcome: PlannedOutcome =
            fault == .failedResponse
            ? .failed
            : .answered(AnswerWriter.answer(for: body, model: model, inputTokens: inputTokens, makeID: engine.makeID))
        let echo = EchoedRequestFields(body, model: modelID)
        let created = engine.create(
            id: engine.makeID("resp_"),
            project: project,
            echo: echo,
            outcome: outcome,
            inputTokens: inputTokens,
            admittedTokens: inputTokens + (body.maxOutputTokens ?? model.maximumOutputTokens),
            fault: fault
        )
        let stored: StoredResponse
        switch created {
        case .quotaExceeded(let error): return error.response
        case .created(let response): stored = response
        }
        if fault == .createdButAnswerLost {
            await context.dropConnection()
            return .unwritten
        }
        if streaming {
            return streamed(stored, project: project, startingAfter: -1, cutHalfway: fault == .streamCut, context: context)
        }
        if echo.background {
            // Mantle answers a background create with `in_progress`, even when it will finish at once.
            return .json(stored.object(at: stored.createdAt.nextDown))
        }
        let wait = stored.finishAt - SimulatorEngine.now()
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        let final = engine.response(id: stored.id, project: project) ?? stored
        return .json(final.object(at: max(SimulatorEngine.now(), final.finishAt)))
    }

    func retrieve(_ request: Request, context: Context) async -> Response {
        let project: String
        switch admit(.retrieveResponse, request) {
        case .failure(let error): return error.response
        case .success(let id): project = id
        }
        if let fault = engine.drawFault(.retrieve),
            let answer = await FaultAnswer.answer(fault, configuration: engine.configuration, context: context)
        {
            return answer
        }
        let id = context.parameters.get("id") ?? ""
        guard let stored = engine.response(id: id, project: project) else {
            return MantleErrorBody.responseNotFound(id).response
        }
        let query = request.uri.queryParameters
        if query["stream"] == "true" {
            let pairs = Dictionary(query.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { $1 })
            return resumed(stored, project: project, query: pairs, context: context)
        }
        return .json(stored.object(at: SimulatorEngine.now()))
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
