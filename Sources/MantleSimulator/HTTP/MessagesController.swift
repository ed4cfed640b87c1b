import Foundation
import HTTPTypes
import Hummingbird
import MantleModels

/// `POST /anthropic/v1/messages`: Claude on Mantle. The key comes as `Authorization: Bearer`
/// (anthropic ≥ 2.x) or `x-api-key` (older SDKs), the project as `anthropic-workspace`, and
/// `anthropic-version` must be `bedrock-2023-05-31`.
struct MessagesController {
    typealias Context = SimulatorRequestContext
    let engine: SimulatorEngine

    func addRoutes(to router: Router<Context>) {
        router.post("anthropic/v1/messages") { request, context in try await self.create(request, context: context) }
    }

    func create(_ request: Request, context: Context) async throws -> Response {
        let authorization = request.headers[.authorization] ?? request.headers[.xAPIKey].map { "Bearer \($0)" }
        let project: String
        switch engine.admit(
            route: .messages, authorization: authorization, projectHeader: request.headers[.anthropicWorkspace], forInference: true,
            projectHeaderName: "anthropic-workspace")
        {
        case .failure(let error): return AnthropicErrorBody(error).response
        case .success(let id): project = id
        }
        // Mantle refuses the SDK's own default version; the wording is the simulator's (UNCONFIRMED).
        let version = request.headers[.anthropicVersion]
        guard version == ModelAPI.bedrockAnthropicVersion else {
            return AnthropicErrorBody.invalidRequest(
                version.map {
                    "anthropic-version: '\($0)' is not supported here; send 'anthropic-version: \(ModelAPI.bedrockAnthropicVersion)'"
                }
                    ?? "anthropic-version: header is required; send 'anthropic-version: \(ModelAPI.bedrockAnthropicVersion)'"
            ).response
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let body: MessagesRequest
        do {
            body = try JSONDecoder().decode(MessagesRequest.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            return AnthropicErrorBody.invalidRequest(error.anthropicDetail).response
        } catch {
            return AnthropicErrorBody.invalidRequest("The request body is not valid JSON.").response
        }
        guard let modelID = body.model, !modelID.isEmpty else { return AnthropicErrorBody.invalidRequest("model: Field required").response }
        guard let model = ModelCatalogue.model(modelID) else {
            return AnthropicErrorBody(status: .notFound, type: "not_found_error", message: "The model '\(modelID)' does not exist").response
        }
        guard model.capabilities.supports(.anthropicMessages) else {
            return AnthropicErrorBody.invalidRequest("The model '\(modelID)' does not support the '/anthropic/v1/messages' API").response
        }
        let limits = model.limits.scaled(by: engine.configuration.contextWindowScale)
        let plan: MessagesValidation.Plan
        switch MessagesValidation.plan(body, model: model, limits: limits) {
        case .failure(let problem): return AnthropicErrorBody.invalidRequest(problem.message).response
        case .success(let value): plan = value
        }

        let fault = engine.drawFault(.messages)
        if let fault {
            if await FaultAnswer.withheld(fault, configuration: engine.configuration, context: context) { return .unwritten }
            if fault == .overloaded { return AnthropicErrorBody.overloaded.response }
            if let error = FaultAnswer.error(fault, configuration: engine.configuration) { return AnthropicErrorBody(error).response }
        }
        let seconds: Double
        switch engine.startGeneration(
            route: .messages, project: project, model: modelID, inputTokens: plan.inputTokens,
            admittedTokens: plan.inputTokens + plan.maxTokens,
            metadata: [:])
        {
        case .failure(let error): return AnthropicErrorBody(error).response
        case .success(let value): seconds = value
        }
        let generation = MessagesValidation.generate(body, model: model, plan: plan)
        let cache = engine.usePromptCache(project: project, model: modelID, prefix: body.cachedPrefix, inputTokens: plan.inputTokens)
        let wire = AnthropicWire(
            id: engine.makeID("msg_"), model: modelID, generation: generation, invocationMetrics: false, seconds: seconds,
            cache: cache)
        let held = HeldGeneration(
            engine: engine, route: .messages, generation: generation, seconds: seconds, fault: fault, channel: context.channel)
        if body.stream == true {
            return held.streamed(wire.sseFraming(error: .overloaded))
        }
        return await held.whole({ .json(wire.message) }, error: AnthropicErrorBody.overloaded.response)
    }
}
