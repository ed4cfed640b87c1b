/// A CIDR block such as `10.0.0.0/8` or `fc00::/7`.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// Parses `address/prefix`, or a bare address (a block of one). Nil when either part is invalid.
    public init?(_ text: String) {
        let parts = text.trimmingWhitespaceAndBrackets.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = if case .v4 = address { 32 } else { 128 }
        var length = maximum
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maximum).contains(parsed) else { return nil }
            length = parsed
        }
        self.address = address
        self.prefixLength = length
    }

    /// Whether `candidate` lies in this block (addresses of the other family never do).
    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate) {
        case (.v4(let network), .v4(let value)):
            guard prefixLength > 0 else { return true }
            let mask = UInt32.max << (32 - prefixLength)
            return network & mask == value & mask
        case (.v6(let networkHigh, let networkLow), .v6(let high, let low)):
            let highMask = Self.mask(bits: min(prefixLength, 64))
            let lowMask = Self.mask(bits: max(prefixLength - 64, 0))
            return networkHigh & highMask == high & highMask && networkLow & lowMask == low & lowMask
        default:
            return false
        }
    }

    public var description: String { "\(address)/\(prefixLength)" }

    private static func mask(bits: Int) -> UInt64 {
        bits == 0 ? 0 : UInt64.max << (64 - bits)
    }
}

extension String {
    fileprivate var trimmingWhitespaceAndBrackets: String {
        var text = Substring(self).drop { $0 == " " }
        while text.last == " " { text = text.dropLast() }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            text = text[text.index(after: text.startIndex)..<close] + text[text.index(after: close)...]
        }
        return String(text)
    }
}
