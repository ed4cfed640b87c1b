import Foundation
import HTTPTypes
import JSONWriting
import MantleModels

/// An answer complete at once: status, headers and body. Hummingbird's routes and
/// ``ResponsesFastLane`` write the same one, so both paths answer the same bytes.
struct WholeAnswer: Sendable {
    let status: HTTPResponse.Status
    /// `Content-Type` last, as `Response.json` sets it; `Content-Length` is added by the writer.
    let headers: HTTPFields
    let body: [UInt8]
    /// False for an event stream: it goes out chunked, with no `Content-Length`, as a streamed
    /// Hummingbird body does.
    var declaresLength = true

    /// A JSON body written without `JSONEncoder` (the Response object on every create and
    /// retrieve: see ``JSONBytesWritable``).
    static func json(_ value: some JSONBytesWritable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> WholeAnswer {
        var headers = headers
        headers[.contentType] = "application/json"
        return WholeAnswer(status: status, headers: headers, body: value.jsonBytes)
    }

    /// A JSON body from `JSONEncoder`, slashes unescaped, for the rest (errors, lists, counters).
    static func json(encoding value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> WholeAnswer {
        var headers = headers
        headers[.contentType] = "application/json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        guard let data = try? encoder.encode(value) else {
            // Only our own Encodable types get here; none of them can fail to encode.
            return WholeAnswer(status: .internalServerError, headers: headers, body: [])
        }
        return WholeAnswer(status: status, headers: headers, body: [UInt8](data))
    }
}

extension MantleErrorBody {
    var wholeAnswer: WholeAnswer { .json(encoding: envelope, status: status, headers: headers) }
}

/// What a create of a Response comes to, decided at once by ``ResponsesAnswers/create(body:project:prefix:under:)``:
/// all that is left to its caller is the waiting.
enum CreateDecision {
    /// Refused (validation, quota), an error fault, or a background create's `in_progress` object.
    case answer(WholeAnswer)
    /// A fault that withholds the answer: `hang` or `dropConnection`.
    case withheld(InjectedFaultKind)
    /// Created, and its answer lost: the connection is closed with nothing written.
    case answerLost
    /// `stream: true`: the events, each at its moment, cut halfway for the `streamCut` fault.
    case streamed(StoredResponse, cutHalfway: Bool)
    /// A foreground create: the final object, once it has finished.
    case awaited(StoredResponse)
}

/// What a retrieve of a Response comes to, decided at once.
enum RetrieveDecision {
    case answer(WholeAnswer)
    case withheld(InjectedFaultKind)
    /// `?stream=true`: the stored Response's events again (``ResponsesController/resumed``).
    case resumed(StoredResponse)
}

/// The create and the retrieve of a Response, decided in one place for Hummingbird's routes and
/// the fast lane. Each reads the configuration it is given, the one in force when the request
/// arrived, for every choice it makes: faults, latency, refused streams, context windows.
struct ResponsesAnswers {
    let engine: SimulatorEngine

    /// `POST {prefix}/responses` from an admitted `project`, with the request's body.
    func create(
        body bytes: [UInt8], project: String, prefix: ModelPathPrefix, under configuration: MantleSimulatorConfiguration
    ) -> CreateDecision {
        let body: CreateResponseRequest
        do {
            body = try CreateResponseRequest(strictJSON: bytes) ?? JSONDecoder().decode(CreateResponseRequest.self, from: Data(bytes))
        } catch let error as DecodingError {
            return .answer(MantleErrorBody.deserialization(error.mantleDetail).wholeAnswer)
        } catch {
            return .answer(MantleErrorBody.deserialization("the body is not valid JSON").wholeAnswer)
        }
        let model: SimulatedModel
        switch admissible(body, project: project, prefix: prefix, under: configuration) {
        case .failure(let refusal): return .answer(refusal.wholeAnswer)
        case .success(let found): model = found
        }
        let inputTokens = AnswerWriter.inputTokens(of: body)
        let limits = model.limits.scaled(by: configuration.contextWindowScale)
        if let refusal = ContextWindowCheck.problem(inputTokens: inputTokens, maxOutputTokens: body.maxOutputTokens, limits: limits) {
            return .answer(refusal.wholeAnswer)
        }

        let fault = engine.drawFault(.create, under: configuration)
        if let fault, let effect = FaultAnswer.effect(of: fault, configuration: configuration) {
            switch effect {
            case .withheld: return .withheld(fault)
            case .error(let error): return .answer(error.wholeAnswer)
            }
        }

        let outcome: PlannedOutcome =
            fault == .failedResponse
            ? .failed
            : .answered(AnswerWriter.answer(for: body, model: model, inputTokens: inputTokens, makeID: engine.makeID))
        let echo = EchoedRequestFields(body, model: body.model ?? model.id)
        let created = engine.create(
            id: engine.makeID("resp_"),
            project: project,
            echo: echo,
            outcome: outcome,
            inputTokens: inputTokens,
            admittedTokens: inputTokens + (body.maxOutputTokens ?? model.maximumOutputTokens),
            fault: fault,
            under: configuration
        )
        let stored: StoredResponse
        switch created {
        case .quotaExceeded(let error): return .answer(error.wholeAnswer)
        case .created(let response): stored = response
        }
        if fault == .createdButAnswerLost { return .answerLost }
        if body.stream == true { return .streamed(stored, cutHalfway: fault == .streamCut) }
        // Mantle answers a background create with `in_progress`, even when it will finish at once.
        if echo.background { return .answer(.json(stored.object(at: stored.createdAt.nextDown))) }
        return .awaited(stored)
    }

    /// The model of a create's body, or what Mantle refuses in it before it generates anything.
    private func admissible(
        _ body: CreateResponseRequest, project: String, prefix: ModelPathPrefix, under configuration: MantleSimulatorConfiguration
    ) -> Result<SimulatedModel, MantleErrorBody> {
        guard let modelID = body.model, !modelID.isEmpty else { return .failure(.missingModel) }
        if let problem = ModelCatalogue.responsesProblem(model: modelID, prefix: prefix) { return .failure(problem) }
        guard let model = ModelCatalogue.model(modelID) else { return .failure(.missingModel) }
        if let maxOutput = body.maxOutputTokens, maxOutput < 16 {
            return .failure(
                .invalidRequest(
                    "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got \(maxOutput) instead.",
                    param: "max_output_tokens",
                    code: "integer_below_min_value"
                ))
        }
        guard body.input != nil else {
            return .failure(.invalidRequest("Missing required parameter: 'input'.", param: "input", code: "missing_required_parameter"))
        }
        if let previous = body.previousResponseID, engine.response(id: previous, project: project) == nil {
            return .failure(.responseNotFound(previous))
        }
        if body.stream == true && body.background == true && configuration.backgroundStreamRefusedModels.contains(modelID) {
            return .failure(
                .invalidRequest(
                    "Streaming is not supported for background responses with model '\(modelID)'.", param: "stream",
                    code: "unsupported_parameter"
                ))
        }
        return .success(model)
    }

    /// `GET {prefix}/responses/{id}` from an admitted `project`; `stream` for `?stream=true`.
    func retrieve(id: String, stream: Bool, project: String, under configuration: MantleSimulatorConfiguration) -> RetrieveDecision {
        if let fault = engine.drawFault(.retrieve, under: configuration),
            let effect = FaultAnswer.effect(of: fault, configuration: configuration)
        {
            switch effect {
            case .withheld: return .withheld(fault)
            case .error(let error): return .answer(error.wholeAnswer)
            }
        }
        guard let stored = engine.response(id: id, project: project) else {
            return .answer(MantleErrorBody.responseNotFound(id).wholeAnswer)
        }
        if stream { return .resumed(stored) }
        return .answer(.json(stored.object(at: SimulatorEngine.now())))
    }

    /// The final object of a foreground create that has finished (its stored state, for a cancel
    /// that came in while it ran).
    func final(of stored: StoredResponse) -> WholeAnswer {
        let final = engine.response(id: stored.id, project: stored.project) ?? stored
        return .json(final.object(at: max(SimulatorEngine.now(), final.finishAt)))
    }

    /// The whole answer of a create that needs no waiting, or nil: a background create, a refusal,
    /// and — once it has finished, at zero latency — a foreground create or a stream not cut.
    func immediate(_ decision: CreateDecision) -> WholeAnswer? {
        let now = SimulatorEngine.now()
        switch decision {
        case .answer(let answer):
            return answer
        case .awaited(let stored) where stored.finishAt <= now:
            return final(of: stored)
        case .streamed(let stored, cutHalfway: false) where stored.finishAt <= now:
            var body: [UInt8] = []
            for entry in ResponseEventTimeline.entries(of: stored) { body += entry.event.serverSentEvent }
            return WholeAnswer(status: .ok, headers: ResponsesAnswers.eventStreamHeaders, body: body, declaresLength: false)
        case .withheld, .answerLost, .streamed, .awaited:
            return nil
        }
    }

    static let eventStreamHeaders: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
}
