import Foundation
import HTTPTypes
import Hummingbird
import MantleModels

/// bedrock-runtime's `POST /model/{modelId}/invoke` and `…/invoke-with-response-stream` for
/// Claude: Anthropic's Messages body with `"anthropic_version": "bedrock-2023-05-31"` and no
/// `model` field, signed with SigV4 (service `bedrock`) or carrying a Bedrock API key as Bearer.
/// bedrock-runtime has no projects: every call acts for `default`.
struct InvokeController {
    typealias Context = SimulatorRequestContext
    let engine: SimulatorEngine

    func addRoutes(to router: Router<Context>) {
        router.post("model/:modelId/invoke") { request, context in try await self.invoke(request, context: context, stream: false) }
        router.post("model/:modelId/invoke-with-response-stream") { request, context in
            try await self.invoke(request, context: context, stream: true)
        }
    }

    func invoke(_ request: Request, context: Context, stream: Bool) async throws -> Response {
        let route: SimulatorRoute = stream ? .invokeStream : .invoke
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let bytes = [UInt8](buffer.readableBytesView)
        if let refusal = admit(request, route: route, body: bytes) { return refusal.response }

        let rawID = context.parameters.get("modelId") ?? ""
        let modelID = rawID.removingPercentEncoding ?? rawID
        guard let model = ModelCatalogue.runtimeModel(modelID) else {
            return BedrockErrorBody.validation("The provided model identifier is invalid.").response
        }
        let body: MessagesRequest
        do {
            body = try JSONDecoder().decode(MessagesRequest.self, from: Data(bytes))
        } catch let error as DecodingError {
            return BedrockErrorBody.validation(
                "Malformed input request: \(error.anthropicDetail), please reformat your input and try again."
            )
            .response
        } catch {
            return BedrockErrorBody.validation("Malformed input request: the body is not JSON, please reformat your input and try again.")
                .response
        }
        // AWS's InvokeModel parameters for Claude: "anthropic_version … must be bedrock-2023-05-31".
        guard body.anthropicVersion == ModelAPI.bedrockAnthropicVersion else {
            return BedrockErrorBody.validation(
                "Malformed input request: anthropic_version must be '\(ModelAPI.bedrockAnthropicVersion)'"
                    + (body.anthropicVersion.map { " (got '\($0)')" } ?? " and is missing") + ", please reformat your input and try again."
            ).response
        }
        if body.model != nil {
            return BedrockErrorBody.validation(
                "Malformed input request: extraneous key [model] is not permitted, please reformat your input and try again."
            ).response
        }
        let limits = model.limits.scaled(by: engine.configuration.contextWindowScale)
        let plan: MessagesValidation.Plan
        switch MessagesValidation.plan(body, model: model, limits: limits) {
        case .failure(let problem) where stream && problem.forLength:
            return BedrockErrorBody.inputTooLong.inStream
        case .failure(let problem): return BedrockErrorBody.validation(problem.message).response
        case .success(let value): plan = value
        }

        let fault = engine.drawFault(.invoke)
        if let fault {
            if await FaultAnswer.withheld(fault, configuration: engine.configuration, context: context) { return .unwritten }
            if let error = FaultAnswer.error(fault, configuration: engine.configuration) { return BedrockErrorBody(error).response }
        }
        let seconds: Double
        switch engine.startGeneration(
            route: route, project: "default", model: modelID, inputTokens: plan.inputTokens,
            admittedTokens: plan.inputTokens + plan.maxTokens, metadata: [:])
        {
        case .failure(let error): return BedrockErrorBody(error).response
        case .success(let value): seconds = value
        }
        let generation = MessagesValidation.generate(body, model: model, plan: plan)
        let cache = engine.usePromptCache(
            project: "bedrock-runtime", model: modelID, prefix: body.cachedPrefix, inputTokens: plan.inputTokens)
        let wire = AnthropicWire(
            id: engine.makeID("msg_bdrk_"), model: modelID, generation: generation, invocationMetrics: true, seconds: seconds,
            cache: cache)
        let held = HeldGeneration(
            engine: engine, route: route, generation: generation, seconds: seconds, fault: fault, channel: context.channel)
        let streamError = BedrockErrorBody(
            status: .init(code: 424), exception: "ModelStreamErrorException", message: "The model stopped while streaming its response.")
        if stream {
            return held.streamed(wire.eventStreamFraming(error: streamError), headers: [.bedrockContentType: "application/json"])
        }
        return await held.whole(
            {
                .json(
                    wire.message,
                    headers: [
                        .bedrockInputTokens: String(generation.inputTokens), .bedrockOutputTokens: String(generation.outputTokens),
                        .bedrockLatency: String(Int(seconds * 1000)),
                    ])
            },
            error: BedrockErrorBody(MantleErrorBody.internalServerError).response)
    }

    /// A SigV4 signature (checked against the configured secrets) or a Bedrock API key; nil when admitted.
    private func admit(_ request: Request, route: SimulatorRoute, body: [UInt8]) -> BedrockErrorBody? {
        let authorization = request.headers[.authorization] ?? ""
        guard SigV4Verifier.isSigV4(authorization) else {
            if case .failure(let error) = engine.admit(route: route, authorization: authorization, projectHeader: nil, forInference: true) {
                return BedrockErrorBody(error)
            }
            return nil
        }
        engine.countRequest(route: route, project: "default")
        let configuration = engine.configuration
        let verifier = SigV4Verifier(
            method: request.method.rawValue, rawPath: request.uri.path, rawQuery: request.uri.query,
            header: { name in
                if name == "host" { return request.head.authority }
                guard let field = HTTPField.Name(name) else { return nil }
                return request.headers[values: field].joined(separator: ",")
            },
            body: body)
        guard
            let rejection = verifier.verify(authorization, region: configuration.region, secrets: configuration.awsCredentials, now: Date())
        else { return nil }
        return BedrockErrorBody(status: .forbidden, exception: rejection.exception, message: rejection.message)
    }
}

extension HTTPField.Name {
    static let bedrockContentType = HTTPField.Name("x-amzn-bedrock-content-type")!
    static let bedrockInputTokens = HTTPField.Name("x-amzn-bedrock-input-token-count")!
    static let bedrockOutputTokens = HTTPField.Name("x-amzn-bedrock-output-token-count")!
    static let bedrockLatency = HTTPField.Name("x-amzn-bedrock-invocation-latency")!
}
