/// How often each kind of fault is injected on one route, as probabilities between 0 and 1.
///
/// One uniform draw per request picks at most one fault: the rates are laid end to end in the
/// order of ``InjectedFaultKind/drawnByRate``, so their sum should stay at or below 1 (a larger sum
/// starves the kinds listed last). Kinds that only make sense for creates are ignored elsewhere.
public struct FaultRates: Codable, Sendable, Equatable {
    /// 429 with `Retry-After` and `retry-after-ms`.
    public var tooManyRequests: Double
    /// 500 `server_error`.
    public var internalServerError: Double
    /// 503 `service_unavailable_error`.
    public var serviceUnavailable: Double
    /// 400 whose message is "Internal server error" (Mantle reports some server faults as 4xx).
    public var badRequestInternalError: Double
    /// Never answer; after ``MantleSimulatorConfiguration/hangSeconds`` the connection is closed.
    public var hang: Double
    /// Close the connection without writing any response.
    public var dropConnection: Double
    /// Creates only: the Response is created, then the connection is closed without an answer.
    public var createdButAnswerLost: Double
    /// Creates only: the Response is accepted but ends `failed` with `error.code = server_error`.
    public var failedResponse: Double
    /// Generating routes only: the model is overloaded (529 on Messages, 503 elsewhere).
    public var overloaded: Double
    /// Generating routes only: the stream stops half-way and the connection closes.
    public var streamCut: Double
    /// Generating routes only: the stream ends half-way with the API's in-stream error.
    public var streamError: Double

    /// Rates that inject nothing.
    public static let none = FaultRates()

    /// Creates rates; every one defaults to 0.
    public init(
        tooManyRequests: Double = 0,
        internalServerError: Double = 0,
        serviceUnavailable: Double = 0,
        badRequestInternalError: Double = 0,
        hang: Double = 0,
        dropConnection: Double = 0,
        createdButAnswerLost: Double = 0,
        failedResponse: Double = 0,
        overloaded: Double = 0,
        streamCut: Double = 0,
        streamError: Double = 0
    ) {
        self.tooManyRequests = tooManyRequests
        self.internalServerError = internalServerError
        self.serviceUnavailable = serviceUnavailable
        self.badRequestInternalError = badRequestInternalError
        self.hang = hang
        self.dropConnection = dropConnection
        self.createdButAnswerLost = createdButAnswerLost
        self.failedResponse = failedResponse
        self.overloaded = overloaded
        self.streamCut = streamCut
        self.streamError = streamError
    }

    /// The rate configured for one kind.
    public func rate(of kind: InjectedFaultKind) -> Double {
        switch kind {
        case .tooManyRequests: tooManyRequests
        case .internalServerError: internalServerError
        case .serviceUnavailable: serviceUnavailable
        case .badRequestInternalError: badRequestInternalError
        case .hang: hang
        case .dropConnection: dropConnection
        case .createdButAnswerLost: createdButAnswerLost
        case .failedResponse: failedResponse
        case .overloaded: overloaded
        case .streamCut: streamCut
        case .streamError: streamError
        case .tokenQuotaExceeded: 0
        }
    }

    /// Sets the rate of one kind (used by the command line's `--fault-<route>-<kind>` options).
    public mutating func setRate(_ rate: Double, of kind: InjectedFaultKind) {
        switch kind {
        case .tooManyRequests: tooManyRequests = rate
        case .internalServerError: internalServerError = rate
        case .serviceUnavailable: serviceUnavailable = rate
        case .badRequestInternalError: badRequestInternalError = rate
        case .hang: hang = rate
        case .dropConnection: dropConnection = rate
        case .createdButAnswerLost: createdButAnswerLost = rate
        case .failedResponse: failedResponse = rate
        case .overloaded: overloaded = rate
        case .streamCut: streamCut = rate
        case .streamError: streamError = rate
        case .tokenQuotaExceeded: break  // decided by the quota, not by a rate
        }
    }

    private enum CodingKeys: String, CodingKey {
        case tooManyRequests, internalServerError, serviceUnavailable, badRequestInternalError
        case hang, dropConnection, createdButAnswerLost, failedResponse
        case overloaded, streamCut, streamError
    }

    /// Decodes rates; a missing key means 0, so a config file names only the faults it wants.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tooManyRequests: try c.decodeIfPresent(Double.self, forKey: .tooManyRequests) ?? 0,
            internalServerError: try c.decodeIfPresent(Double.self, forKey: .internalServerError) ?? 0,
            serviceUnavailable: try c.decodeIfPresent(Double.self, forKey: .serviceUnavailable) ?? 0,
            badRequestInternalError: try c.decodeIfPresent(Double.self, forKey: .badRequestInternalError) ?? 0,
            hang: try c.decodeIfPresent(Double.self, forKey: .hang) ?? 0,
            dropConnection: try c.decodeIfPresent(Double.self, forKey: .dropConnection) ?? 0,
            createdButAnswerLost: try c.decodeIfPresent(Double.self, forKey: .createdButAnswerLost) ?? 0,
            failedResponse: try c.decodeIfPresent(Double.self, forKey: .failedResponse) ?? 0,
            overloaded: try c.decodeIfPresent(Double.self, forKey: .overloaded) ?? 0,
            streamCut: try c.decodeIfPresent(Double.self, forKey: .streamCut) ?? 0,
            streamError: try c.decodeIfPresent(Double.self, forKey: .streamError) ?? 0
        )
    }
}
