import ArgumentParser
import MantleSimulator

/// `--fault-<route>-<kind> RATE` options of `longhaul sim`, each a probability in 0…1.
struct SimFaultOptions: ParsableArguments {
    @Option(name: .customLong("fault-create-429"), help: "Rate of 429 answers to creates.") var create429: Double?
    @Option(name: .customLong("fault-create-500"), help: "Rate of 500 answers to creates.") var create500: Double?
    @Option(name: .customLong("fault-create-503"), help: "Rate of 503 answers to creates.") var create503: Double?
    @Option(name: .customLong("fault-create-400"), help: "Rate of 400 \"Internal server error\" answers to creates.") var create400: Double?
    @Option(name: .customLong("fault-create-hang"), help: "Rate of creates never answered.") var createHang: Double?
    @Option(name: .customLong("fault-create-drop"), help: "Rate of creates whose connection is closed unanswered.") var createDrop: Double?
    @Option(name: .customLong("fault-create-lost"), help: "Rate of creates that create the Response, then drop the answer.") var createLost:
        Double?
    @Option(name: .customLong("fault-create-failed"), help: "Rate of Responses that end failed (server_error).") var createFailed: Double?
    @Option(name: .customLong("fault-retrieve-429"), help: "Rate of 429 answers to retrieves.") var retrieve429: Double?
    @Option(name: .customLong("fault-retrieve-500"), help: "Rate of 500 answers to retrieves.") var retrieve500: Double?
    @Option(name: .customLong("fault-retrieve-503"), help: "Rate of 503 answers to retrieves.") var retrieve503: Double?
    @Option(name: .customLong("fault-retrieve-400"), help: "Rate of 400 \"Internal server error\" answers to retrieves.") var retrieve400:
        Double?
    @Option(name: .customLong("fault-retrieve-hang"), help: "Rate of retrieves never answered.") var retrieveHang: Double?
    @Option(name: .customLong("fault-retrieve-drop"), help: "Rate of retrieves whose connection is closed unanswered.") var retrieveDrop:
        Double?
    @Option(name: .customLong("fault-cancel-429"), help: "Rate of 429 answers to cancels.") var cancel429: Double?
    @Option(name: .customLong("fault-cancel-500"), help: "Rate of 500 answers to cancels.") var cancel500: Double?
    @Option(name: .customLong("fault-cancel-503"), help: "Rate of 503 answers to cancels.") var cancel503: Double?
    @Option(name: .customLong("fault-cancel-400"), help: "Rate of 400 \"Internal server error\" answers to cancels.") var cancel400: Double?
    @Option(name: .customLong("fault-cancel-hang"), help: "Rate of cancels never answered.") var cancelHang: Double?
    @Option(name: .customLong("fault-cancel-drop"), help: "Rate of cancels whose connection is closed unanswered.") var cancelDrop: Double?

    @Option(
        name: .customLong("fault"),
        help: ArgumentHelp(
            "A fault rate on any route, as ROUTE:KIND=RATE (repeatable), e.g. chat:streamCut=0.05, messages:overloaded=0.1, "
                + "invoke:tooManyRequests=0.02.",
            discussion: "Routes: \(FaultRoute.allCases.map(\.rawValue).joined(separator: ", ")). Kinds: "
                + "\(InjectedFaultKind.drawnByRate.map(\.rawValue).joined(separator: ", ")).",
            valueName: "route:kind=rate"))
    var generic: [String] = []

    /// `ROUTE:KIND=RATE` parsed, or a message naming what is wrong and what is allowed.
    static func parse(_ text: String) throws -> (FaultRoute, InjectedFaultKind, Double) {
        let parts = text.split(separator: "=", maxSplits: 1)
        let names = parts.first?.split(separator: ":", maxSplits: 1) ?? []
        guard parts.count == 2, names.count == 2, let rate = Double(parts[1]), (0...1).contains(rate) else {
            throw ValidationError("--fault \(text): write ROUTE:KIND=RATE with RATE in 0…1, e.g. chat:streamCut=0.05")
        }
        guard let route = FaultRoute(rawValue: String(names[0])) else {
            throw ValidationError(
                "--fault \(text): unknown route '\(names[0])'; routes are \(FaultRoute.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let kind = InjectedFaultKind(rawValue: String(names[1])), InjectedFaultKind.drawnByRate.contains(kind), kind.applies(to: route) else {
            let kinds = InjectedFaultKind.drawnByRate.filter { $0.applies(to: route) }.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--fault \(text): '\(names[1])' is not a fault of \(route.rawValue); its kinds are \(kinds)")
        }
        return (route, kind, rate)
    }

    /// Sets every rate given on the command line; the others keep their configured value.
    func apply(to configuration: inout MantleSimulatorConfiguration) throws {
        let given: [(FaultRoute, InjectedFaultKind, Double?)] = [
            (.create, .tooManyRequests, create429), (.create, .internalServerError, create500),
            (.create, .serviceUnavailable, create503), (.create, .badRequestInternalError, create400),
            (.create, .hang, createHang), (.create, .dropConnection, createDrop),
            (.create, .createdButAnswerLost, createLost), (.create, .failedResponse, createFailed),
            (.retrieve, .tooManyRequests, retrieve429), (.retrieve, .internalServerError, retrieve500),
            (.retrieve, .serviceUnavailable, retrieve503), (.retrieve, .badRequestInternalError, retrieve400),
            (.retrieve, .hang, retrieveHang), (.retrieve, .dropConnection, retrieveDrop),
            (.cancel, .tooManyRequests, cancel429), (.cancel, .internalServerError, cancel500),
            (.cancel, .serviceUnavailable, cancel503), (.cancel, .badRequestInternalError, cancel400),
            (.cancel, .hang, cancelHang), (.cancel, .dropConnection, cancelDrop),
        ]
        let parsed = try generic.map(Self.parse).map { ($0.0, $0.1, Optional($0.2)) }
        for (route, kind, rate) in given + parsed {
            guard let rate else { continue }
            var rates = configuration.faults(for: route)
            rates.setRate(rate, of: kind)
            configuration.setFaults(rates, for: route)
        }
    }
}
