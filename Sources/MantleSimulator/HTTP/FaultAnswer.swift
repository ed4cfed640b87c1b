import HTTPTypes
import Hummingbird

/// The answer to a drawn fault, or nil for faults that change the Response rather than the answer.
enum FaultAnswer {
    static func answer(
        _ fault: InjectedFaultKind,
        configuration: MantleSimulatorConfiguration,
        context: SimulatorRequestContext
    ) async -> Response? {
        switch fault {
        case .tooManyRequests:
            return MantleErrorBody.rateLimited(
                "Too many requests, please wait before trying again.",
                retryAfterSeconds: configuration.retryAfterSeconds / configuration.speed,
                code: "rate_limit_exceeded"
            ).response
        case .internalServerError:
            return MantleErrorBody.internalServerError.response
        case .serviceUnavailable:
            return MantleErrorBody.serviceUnavailable.response
        case .badRequestInternalError:
            return MantleErrorBody.badRequestInternalError.response
        case .hang:
            // Held until the client gives up (or hangSeconds pass, or the server shuts down).
            try? await Task.sleep(for: .seconds(configuration.hangSeconds))
            await context.dropConnection()
            return .unwritten
        case .dropConnection:
            await context.dropConnection()
            return .unwritten
        case .createdButAnswerLost, .failedResponse, .tokenQuotaExceeded:
            return nil
        }
    }
}
