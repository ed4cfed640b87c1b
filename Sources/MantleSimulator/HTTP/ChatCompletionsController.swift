import Foundation
import HTTPTypes
import Hummingbird
import MantleModels

/// `POST {prefix}/chat/completions` under `/v1` and `/openai/v1`: one held generation, answered
/// whole or streamed as `chat.completion.chunk` SSE.
struct ChatCompletionsController {
    typealias Context = SimulatorRequestContext
    let engine: SimulatorEngine

    func addRoutes(to router: Router<Context>) {
        for prefix in [ModelPathPrefix.v1, .openAIV1] {
            router.group(RouterPath(String(prefix.rawValue.dropFirst())))
                .post("chat/completions") { request, context in try await self.create(request, context: context, prefix: prefix) }
        }
    }

    func create(_ request: Request, context: Context, prefix: ModelPathPrefix) async throws -> Response {
        let project: String
        switch engine.admit(
            route: .chatCompletions, authorization: request.headers[.authorization],
            projectHeader: request.headers[.openAIProject], forInference: true)
        {
        case .failure(let error): return error.response
        case .success(let id): project = id
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let body: ChatCompletionRequest
        do {
            body = try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            return MantleErrorBody.deserialization(error.mantleDetail).response
        } catch {
            return MantleErrorBody.deserialization("the body is not valid JSON").response
        }
        guard let modelID = body.model, !modelID.isEmpty else { return MantleErrorBody.missingModel.response }
        if let problem = ModelCatalogue.openAIRouteProblem(
            model: modelID, api: .chatCompletions, prefix: prefix, route: "/chat/completions")
        {
            return problem.response
        }
        guard let model = ModelCatalogue.model(modelID) else { return MantleErrorBody.missingModel.response }
        guard let messages = body.messages else {
            return MantleErrorBody.invalidRequest(
                "Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter"
            ).response
        }
        if messages.isEmpty {
            return MantleErrorBody.invalidRequest(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                param: "messages", code: "empty_array"
            ).response
        }
        let budgetName = body.maxCompletionTokens == nil ? "max_tokens" : "max_completion_tokens"
        if let budget = body.budget, budget < 1 {
            return MantleErrorBody.invalidRequest(
                "Invalid '\(budgetName)': integer below minimum value. Expected a value >= 1, but got \(budget) instead.",
                param: budgetName, code: "integer_below_min_value"
            ).response
        }
        let limits = model.limits.scaled(by: engine.configuration.contextWindowScale)
        if let budget = body.budget, budget > limits.maxOutputTokens {
            return MantleErrorBody.invalidRequest(
                "\(budgetName) is too large: \(budget). This model supports at most \(limits.maxOutputTokens) completion tokens, "
                    + "whereas you provided \(budget).",
                param: budgetName, code: "invalid_value"
            ).response
        }
        let inputTokens = AnswerWriter.inputTokens(instructions: body.instructions, document: body.document, messageCount: messages.count)
        if let refusal = ContextWindowCheck.problem(
            inputTokens: inputTokens, maxOutputTokens: body.budget, limits: limits, param: "messages")
        {
            return refusal.response
        }

        let fault = engine.drawFault(.chat)
        if let fault, let answer = await FaultAnswer.answer(fault, configuration: engine.configuration, context: context) {
            return answer
        }
        let seconds: Double
        switch engine.startGeneration(
            route: .chatCompletions, project: project, model: modelID, inputTokens: inputTokens,
            admittedTokens: inputTokens + (body.budget ?? limits.maxOutputTokens), metadata: body.metadata ?? [:])
        {
        case .failure(let error): return error.response
        case .success(let value): seconds = value
        }
        let generation = AnswerWriter.generate(
            instructions: body.instructions, document: body.document, model: model, effort: body.reasoningEffort,
            budget: body.budget, inputTokens: inputTokens)
        let wire = ChatCompletionWire(
            id: engine.makeID("chatcmpl-"), created: Int(SimulatorEngine.now()), model: modelID, generation: generation)
        let held = HeldGeneration(
            engine: engine, route: .chatCompletions, generation: generation, seconds: seconds, fault: fault, channel: context.channel)
        if body.stream == true {
            return held.streamed(wire.framing(includeUsage: body.streamOptions?.includeUsage == true))
        }
        return await held.whole({ .json(wire.completion) }, error: MantleErrorBody.internalServerError.response)
    }
}
