import HTTPTypes
import Foundation
import Synchronization

/// The simulator's whole state behind one lock: Responses, projects, quotas, counters.
///
/// Every critical section is a few dictionary operations (JSON encoding and summarising happen
/// outside), so one `Mutex` serves thousands of requests per second; statuses are computed from
/// timestamps when read, so Responses in flight cost memory only.
final class SimulatorEngine: Sendable {
    private struct State {
        var configuration: MantleSimulatorConfiguration
        var generator: SeededGenerator
        var responses: [String: StoredResponse] = [:]
        var projects: [String: ProjectObject] = [:]
        var projectOrder: [String] = []
        var counters = MantleSimulatorCounters()
        var inFlight: [String: InFlightTracker] = [:]
        var quotaWindows: [String: TokenWindow] = [:]
        var promptCache = PromptCache()
        var createsSincePurge = 0

        init(configuration: MantleSimulatorConfiguration) {
            self.configuration = configuration
            generator = SeededGenerator(seed: configuration.seed ?? UInt64.random(in: .min ... .max))
            let project = ProjectObject(
                id: "default",
                name: "default",
                arn: Self.arn(project: "default", configuration: configuration),
                createdAt: Int(SimulatorEngine.now()),
                status: .active,
                archivedAt: nil,
                tags: [:],
                dataRetentionMode: "inherit"
            )
            projects["default"] = project
            projectOrder = ["default"]
        }

        static func arn(project: String, configuration: MantleSimulatorConfiguration) -> String {
            "arn:aws:bedrock-mantle:\(configuration.region):\(configuration.accountID):project/\(project)"
        }
    }

    /// What became of a create once admitted past validation.
    enum CreateOutcome {
        case created(StoredResponse)
        case quotaExceeded(MantleErrorBody)
    }

    private let state: Mutex<State>
    private let ids = IDMint()

    init(configuration: MantleSimulatorConfiguration) {
        state = Mutex(State(configuration: configuration))
    }

    /// Wall-clock Unix seconds; Response timestamps are wall-clock, as on the wire.
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// `prefix` followed by 48 hex digits, like OpenAI's ids, none made twice (`IDMint`).
    func makeID(_ prefix: String) -> String { ids.makeID(prefix) }

    /// The key of an `Authorization: Bearer KEY` header (scheme in any case, the key without
    /// surrounding spaces and tabs), or nil for another scheme.
    static func bearerKey(_ authorization: String) -> String? {
        let scheme = Array("bearer ".utf8)
        let utf8 = authorization.utf8
        // ASCII headers (all real ones) are read byte by byte; `lowercased()` and
        // `trimmingCharacters(in:)` are kept for the rest, where they are the definition.
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            guard authorization.lowercased().hasPrefix("bearer ") else { return nil }
            return authorization.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)
        }
        guard utf8.count >= scheme.count,
            zip(utf8, scheme).allSatisfy({ byte, expected in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 == expected : byte == expected
            })
        else { return nil }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let rest = utf8.dropFirst(scheme.count)
        guard let first = rest.firstIndex(where: { !isBlank($0) }), let last = rest.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }

    // MARK: Configuration

    var configuration: MantleSimulatorConfiguration { state.withLock { $0.configuration } }

    func replaceConfiguration(_ configuration: MantleSimulatorConfiguration) {
        state.withLock {
            if configuration.seed != $0.configuration.seed, let seed = configuration.seed {
                $0.generator = SeededGenerator(seed: seed)
            }
            $0.configuration = configuration
        }
    }

    /// Forgets every Response, project (but `default`) and counter; keeps the configuration and
    /// restarts the seeded sequence.
    func reset() {
        state.withLock { $0 = State(configuration: $0.configuration) }
    }

    // MARK: Admission

    /// Counts the request, then checks its bearer key and its project header (`OpenAI-Project`,
    /// or `anthropic-workspace` on Messages).
    /// Returns the project id the request acts for.
    func admit(
        route: SimulatorRoute,
        authorization: String?,
        projectHeader: String?,
        forInference: Bool,
        projectHeaderName: String = "OpenAI-Project"
    ) -> Result<String, MantleErrorBody> {
        let project = projectHeader.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let bearerKey = authorization.flatMap(Self.bearerKey)
        return state.withLock { state in
            state.counters.requestsByProject[project, default: 0] += 1
            state.counters.requestsByRoute[route, default: 0] += 1

            guard let key = bearerKey else {
                return .failure(.unauthorized(
                    "Missing bearer authentication in header: send 'Authorization: Bearer <Amazon Bedrock API key>'."
                ))
            }
            let keys = state.configuration.apiKeys
            guard !key.isEmpty, keys.isEmpty || keys.contains(key) else {
                return .failure(.unauthorized("The security token included in the request is invalid."))
            }
            guard let found = state.projects[project] else {
                // Like OpenAI, a project header the key cannot use is an authentication failure.
                return .failure(.invalidRequest(
                    "The \(projectHeaderName) header names '\(project)', which is not a project of this account.",
                    code: "invalid_project",
                    status: .unauthorized
                ))
            }
            if forInference, found.status == .archived {
                return .failure(.invalidRequest(
                    "Project '\(project)' is archived and accepts no new inference.",
                    code: "project_archived",
                    status: .forbidden
                ))
            }
            return .success(project)
        }
    }

    /// Draws at most one fault for a request on `route` and counts it.
    ///
    /// Create-only kinds (`createdButAnswerLost`, `failedResponse`) are returned but counted by
    /// ``create(id:project:echo:outcome:inputTokens:admittedTokens:fault:under:)``, which knows the id.
    func drawFault(_ route: FaultRoute) -> InjectedFaultKind? {
        drawFault(route, under: nil)
    }

    /// The same under `configuration`, the one in force when the request arrived (nil: the one in
    /// force now): a request is served whole under one configuration, so that one taken without
    /// faults and at zero latency is answered at once (`ResponsesFastLane`).
    func drawFault(_ route: FaultRoute, under configuration: MantleSimulatorConfiguration?) -> InjectedFaultKind? {
        state.withLock { state in
            let rates = (configuration ?? state.configuration).faults(for: route)
            let draw = state.generator.nextUnit()
            var edge = 0.0
            for kind in InjectedFaultKind.drawnByRate where kind.applies(to: route) {
                edge += rates.rate(of: kind)
                if draw < edge {
                    if !kind.isCreateOnly { state.counters.faultsByKind[kind, default: 0] += 1 }
                    return kind
                }
            }
            return nil
        }
    }

    // MARK: Responses

    /// Admits a Response against the project's token quota and stores it, lasting what
    /// `configuration` says (nil: the one in force now).
    func create(
        id: String,
        project: String,
        echo: EchoedRequestFields,
        outcome: PlannedOutcome,
        inputTokens: Int,
        admittedTokens: Int,
        fault: InjectedFaultKind?,
        under configuration: MantleSimulatorConfiguration? = nil
    ) -> CreateOutcome {
        let now = Self.now()
        return state.withLock { state in
            if let refusal = Self.admitTokens(&state, project: project, model: echo.model, tokens: admittedTokens, now: now) {
                return .quotaExceeded(refusal)
            }
            let duration = Self.generationSeconds(&state, inputTokens: inputTokens, under: configuration)
            let response = StoredResponse(
                id: id,
                project: project,
                echo: echo,
                createdAt: now,
                finishAt: now + duration,
                outcome: outcome,
                cancelledAt: nil
            )
            state.responses[id] = response
            state.inFlight[project, default: InFlightTracker()].add(id: id, finishAt: response.finishAt, now: now)
            state.counters.responsesCreated += 1
            // Callers name their job in metadata; `job_id`/`attempt`, or Longhaul's reserved keys.
            if let job = echo.metadata["job_id"] ?? echo.metadata["longhaul_job_id"] {
                let attempt = echo.metadata["attempt"] ?? echo.metadata["longhaul_attempt"] ?? ""
                state.counters.createsByJob[job, default: [:]][attempt, default: 0] += 1
            }
            switch fault {
            case .createdButAnswerLost?:
                state.counters.faultsByKind[.createdButAnswerLost, default: 0] += 1
                state.counters.answerLostResponseIDs.append(id)
            case .failedResponse?:
                state.counters.faultsByKind[.failedResponse, default: 0] += 1
                state.counters.failedResponseIDs.append(id)
            default:
                break
            }
            state.createsSincePurge += 1
            if state.createsSincePurge >= 4096 {
                state.createsSincePurge = 0
                Self.purge(&state, now: now)
            }
            return .created(response)
        }
    }

    /// Admits `tokens` against the project's per-minute quota (Mantle's rule: input +
    /// max output, one quota shared by Responses, Chat Completions and Messages), or the 429.
    private static func admitTokens(_ state: inout State, project: String, model: String, tokens: Int, now: Double) -> MantleErrorBody? {
        let configuration = state.configuration
        guard let limit = configuration.tokensPerMinute(forProject: project),
            let wait = state.quotaWindows[project, default: TokenWindow()].admit(
                tokens, limit: limit, now: now, window: 60 / configuration.speed)
        else { return nil }
        state.counters.faultsByKind[.tokenQuotaExceeded, default: 0] += 1
        let used = state.quotaWindows[project]?.sum ?? 0
        return .rateLimited(
            "Rate limit reached for \(model) in project \(project) on tokens per min (TPM): "
                + "Limit \(limit), Used \(used), Requested \(tokens). "
                + "Please try again in \(String(format: "%.3f", wait))s.",
            retryAfterSeconds: max(wait, 0.001),
            code: "rate_limit_exceeded"
        )
    }

    /// Real seconds a generation takes: a drawn duration plus the input-length term, compressed by
    /// `speed` (0 with `zeroLatency`).
    private static func generationSeconds(
        _ state: inout State, inputTokens: Int, under configuration: MantleSimulatorConfiguration? = nil
    ) -> Double {
        let configuration = configuration ?? state.configuration
        guard !configuration.zeroLatency else { return 0 }
        let span = configuration.maximumDurationSeconds - configuration.minimumDurationSeconds
        let simulated = configuration.minimumDurationSeconds + span * state.generator.nextUnit()
            + configuration.secondsPerThousandInputTokens * Double(inputTokens) / 1000
        return simulated / configuration.speed
    }

    // MARK: Held generations (Chat Completions, Messages, bedrock-runtime)

    /// Admits a held generation against the quota and starts counting it: the real seconds it
    /// should take, or the quota's 429. Pair with ``finishGeneration(route:inputTokens:outputTokens:completed:)``.
    func startGeneration(
        route: SimulatorRoute, project: String, model: String, inputTokens: Int, admittedTokens: Int, metadata: [String: String]
    ) -> Result<Double, MantleErrorBody> {
        let now = Self.now()
        return state.withLock { state in
            if let refusal = Self.admitTokens(&state, project: project, model: model, tokens: admittedTokens, now: now) {
                return .failure(refusal)
            }
            state.counters.generationsStarted[route, default: 0] += 1
            state.counters.generationsInFlight += 1
            state.counters.peakGenerationsInFlight = max(state.counters.peakGenerationsInFlight, state.counters.generationsInFlight)
            if let job = metadata["job_id"] ?? metadata["longhaul_job_id"] {
                let attempt = metadata["attempt"] ?? metadata["longhaul_attempt"] ?? ""
                state.counters.createsByJob[job, default: [:]][attempt, default: 0] += 1
            }
            return .success(Self.generationSeconds(&state, inputTokens: inputTokens))
        }
    }

    /// A held generation ended: answered in full (`completed`), or cut or failed part-way.
    func finishGeneration(route: SimulatorRoute, inputTokens: Int, outputTokens: Int, completed: Bool) {
        state.withLock { state in
            state.counters.generationsInFlight -= 1
            if completed {
                state.counters.generationsCompleted[route, default: 0] += 1
                state.counters.answeredInputTokensByRoute[route, default: 0] += inputTokens
                state.counters.answeredOutputTokensByRoute[route, default: 0] += outputTokens
            }
            state.counters.inputTokensByRoute[route, default: 0] += inputTokens
            state.counters.outputTokensByRoute[route, default: 0] += outputTokens
        }
    }

    /// Reads or writes the prompt cache for a Messages request's marked prefix.
    func usePromptCache(project: String, model: String, prefix: String?, inputTokens: Int) -> PromptCache.Use {
        guard let prefix else { return PromptCache.Use() }
        let now = Self.now()
        // The cached prefix is part of the input, never more than it.
        let tokens = min(TokenEstimator.tokens(in: prefix), inputTokens)
        return state.withLock { state in
            state.promptCache.use(project: project, model: model, prefix: prefix, tokens: tokens, now: now)
        }
    }

    /// Counts a request that is admitted by other means than a bearer key (a SigV4 signature).
    func countRequest(route: SimulatorRoute, project: String) {
        state.withLock { state in
            state.counters.requestsByProject[project, default: 0] += 1
            state.counters.requestsByRoute[route, default: 0] += 1
        }
    }

    /// Forgets finished Responses older than the retention period.
    private static func purge(_ state: inout State, now: Double) {
        let cutoff = now - state.configuration.retentionSeconds
        // The expired ids first, then each removed: `filter` built a new dictionary of every
        // Response kept, rehashing each id (2 % of the simulator's CPU in `bench/pipeline.sh`,
        // where none expires).
        var expired: [String] = []
        for (id, response) in state.responses {
            if let terminal = response.terminalAt(now: now), terminal <= cutoff { expired.append(id) }
        }
        for id in expired { state.responses[id] = nil }
    }

    /// The Response if it exists and belongs to `project` (foreign ids are not found, as on Mantle).
    func response(id: String, project: String) -> StoredResponse? {
        state.withLock { state in
            guard let response = state.responses[id], response.project == project else { return nil }
            return response
        }
    }

    /// Cancels a running Response; a finished one is returned unchanged (cancel is idempotent).
    func cancel(id: String, project: String) -> StoredResponse? {
        let now = Self.now()
        return state.withLock { state in
            guard var response = state.responses[id], response.project == project else { return nil }
            if !response.status(at: now).isTerminal {
                response.cancelledAt = now
                state.responses[id] = response
                state.inFlight[project]?.removeEarly(id: id)
            }
            return response
        }
    }

    /// Deletes a Response; false if there was none to delete.
    func delete(id: String, project: String) -> Bool {
        let now = Self.now()
        return state.withLock { state in
            guard let response = state.responses[id], response.project == project else { return false }
            if !response.status(at: now).isTerminal { state.inFlight[project]?.removeEarly(id: id) }
            state.responses[id] = nil
            return true
        }
    }

    // MARK: Projects

    func projects(includeArchived: Bool) -> [ProjectObject] {
        state.withLock { state in
            state.projectOrder.compactMap { state.projects[$0] }.filter { includeArchived || $0.status == .active }
        }
    }

    func project(_ id: String) -> ProjectObject? {
        state.withLock { $0.projects[id] }
    }

    func createProject(_ request: CreateProjectRequest) -> Result<ProjectObject, MantleErrorBody> {
        guard let name = request.name else {
            return .failure(.invalidRequest("Missing required parameter: 'name'.", param: "name", code: "missing_required_parameter"))
        }
        guard ProjectObject.isValidName(name) else {
            return .failure(.invalidRequest(ProjectObject.nameRule, param: "name", code: "validation_error"))
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        let id = "proj_" + String((0..<24).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        return state.withLock { state in
            if state.projects.values.contains(where: { $0.name == name }) {
                return .failure(.invalidRequest("A project named '\(name)' already exists in this account.", param: "name", code: "validation_error"))
            }
            if state.projects.count >= 1000 {
                return .failure(.invalidRequest("This account already has 1000 projects, the most allowed.", code: "quota_exceeded"))
            }
            let project = ProjectObject(
                id: id,
                name: name,
                arn: State.arn(project: id, configuration: state.configuration),
                createdAt: Int(Self.now()),
                status: .active,
                archivedAt: nil,
                tags: request.tags ?? [:],
                dataRetentionMode: request.dataRetention?.mode.rawValue ?? "inherit"
            )
            state.projects[id] = project
            state.projectOrder.append(id)
            return .success(project)
        }
    }

    func modifyProject(_ id: String, _ request: ModifyProjectRequest) -> Result<ProjectObject, MantleErrorBody> {
        if let name = request.name, !ProjectObject.isValidName(name) {
            return .failure(.invalidRequest(ProjectObject.nameRule, param: "name", code: "validation_error"))
        }
        return state.withLock { state in
            guard var project = state.projects[id] else { return .failure(.projectNotFound(id)) }
            if let name = request.name {
                if state.projects.values.contains(where: { $0.name == name && $0.id != id }) {
                    return .failure(.invalidRequest("A project named '\(name)' already exists in this account.", param: "name", code: "validation_error"))
                }
                project.name = name
            }
            for (key, value) in request.addTags ?? [:] { project.tags[key] = value }
            for key in request.removeTagKeys ?? [] { project.tags[key] = nil }
            state.projects[id] = project
            return .success(project)
        }
    }

    func archiveProject(_ id: String) -> Result<ProjectObject, MantleErrorBody> {
        state.withLock { state in
            guard var project = state.projects[id] else { return .failure(.projectNotFound(id)) }
            if id == "default" {
                return .failure(.invalidRequest("The default project cannot be archived.", code: "validation_error"))
            }
            if project.status == .active {
                project.status = .archived
                project.archivedAt = Int(Self.now())
                state.projects[id] = project
            }
            return .success(project)
        }
    }

    // MARK: Counters

    func counters() -> MantleSimulatorCounters {
        let now = Self.now()
        return state.withLock { state in
            var counters = state.counters
            for project in state.inFlight.keys {
                state.inFlight[project]?.expire(at: now)
                counters.inFlightByProject[project] = state.inFlight[project]?.current ?? 0
                counters.peakInFlightByProject[project] = state.inFlight[project]?.peak ?? 0
            }
            return counters
        }
    }
}
