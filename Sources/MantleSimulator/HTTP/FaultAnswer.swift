import HTTPTypes
import Hummingbird

/// What a drawn fault does to the answer: withhold it (hang, drop), or replace it by an error.
enum FaultAnswer {
    /// The answer to a drawn fault on an OpenAI-compatible route, or nil for faults that change
    /// the Response or the stream rather than the answer.
    static func answer(
        _ fault: InjectedFaultKind,
        configuration: MantleSimulatorConfiguration,
        context: SimulatorRequestContext
    ) async -> Response? {
        if await withheld(fault, configuration: configuration, context: context) { return .unwritten }
        return error(fault, configuration: configuration)?.response
    }

    /// Holds (hang) or closes (drop) the connection for those kinds; true if it did.
    static func withheld(
        _ fault: InjectedFaultKind,
        configuration: MantleSimulatorConfiguration,
        context: SimulatorRequestContext
    ) async -> Bool {
        switch fault {
        case .hang:
            // Held until the client gives up (or hangSeconds pass, or the server shuts down).
            try? await Task.sleep(for: .seconds(configuration.hangSeconds))
            await context.dropConnection()
            return true
        case .dropConnection:
            await context.dropConnection()
            return true
        default:
            return false
        }
    }

    /// What a drawn fault does to the answer, decided at once.
    enum Effect {
        /// `hang` or `dropConnection`: no answer (``withheld(_:configuration:context:)`` does the waiting).
        case withheld
        /// An error answer in Mantle's envelope.
        case error(MantleErrorBody)
    }

    /// What `fault` does to the answer, or nil for faults that change the Response or the stream.
    static func effect(of fault: InjectedFaultKind, configuration: MantleSimulatorConfiguration) -> Effect? {
        switch fault {
        case .hang, .dropConnection: return .withheld
        default: return error(fault, configuration: configuration).map(Effect.error)
        }
    }

    /// The error a fault answers with, in Mantle's OpenAI envelope (other APIs convert it), or nil.
    static func error(_ fault: InjectedFaultKind, configuration: MantleSimulatorConfiguration) -> MantleErrorBody? {
        switch fault {
        case .tooManyRequests:
            return MantleErrorBody.rateLimited(
                "Too many requests, please wait before trying again.",
                retryAfterSeconds: configuration.retryAfterSeconds / configuration.speed,
                code: "rate_limit_exceeded"
            )
        case .internalServerError:
            return MantleErrorBody.internalServerError
        case .serviceUnavailable, .overloaded:
            return MantleErrorBody.serviceUnavailable
        case .badRequestInternalError:
            return MantleErrorBody.badRequestInternalError
        case .hang, .dropConnection, .createdButAnswerLost, .failedResponse, .tokenQuotaExceeded, .streamCut, .streamError:
            return nil
        }
    }
}
