import ArgumentParser
import Foundation

/// A length of time on the command line: `90s`, `15m`, `24h`, `2d`, or plain seconds.
struct HumanDuration: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    let seconds: Int

    init(seconds: Int) {
        self.seconds = seconds
    }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        let (digits, scale) = units.first { text.hasSuffix($0.0) }.map { (String(text.dropLast()), $0.1) } ?? (text, 1)
        guard let value = Int(digits), value >= 0, value <= Int(Int32.max) / scale else { return nil }
        seconds = value * scale
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// The shortest way to write it back: `24h`, `90m`, `45s`.
    var description: String {
        for (unit, scale) in [("d", 86_400), ("h", 3_600), ("m", 60)] where seconds >= scale && seconds % scale == 0 {
            return "\(seconds / scale)\(unit)"
        }
        return "\(seconds)s"
    }

    var duration: Duration { .seconds(seconds) }
}
