import Synchronization

/// Makes the ids of Responses, their output items and requests: a prefix and 48 hex digits, as
/// OpenAI's look.
///
/// Not drawn from the system's random source for each id: `SystemRandomNumberGenerator` made a
/// `getrandom` system call per 64 bits, three an id and four ids a create (4 % of the simulator's
/// CPU under `bench/simulator.sh`'s creates, perf). Three random keys are drawn once; the id
/// numbered `n` holds, for each key, SplitMix64's finaliser of `key + (n + 1) × γ`: a bijection of
/// `UInt64` (γ is odd), so no two ids of one simulator share even their first 16 digits, and ids
/// of two simulators meet only where all three keys line up.
final class IDMint: Sendable {
    private let keys: (UInt64, UInt64, UInt64)
    private let issued = Atomic<UInt64>(0)

    init() {
        var random = SystemRandomNumberGenerator()
        keys = (random.next(), random.next(), random.next())
    }

    func makeID(_ prefix: String) -> String {
        let number = issued.wrappingAdd(1, ordering: .relaxed).oldValue
        // Digits written straight into bytes: `String(_:radix:)` and padding cost 1 % of the
        // simulator's CPU in bench/pipeline.sh.
        var id = Array(prefix.utf8)
        id.reserveCapacity(id.count + 48)
        func append(key: UInt64) {
            // SplitMix64 from `key + number × γ`: its first output is the finaliser of `key + (number + 1) × γ`.
            var digits = SeededGenerator(seed: key &+ number &* 0x9E37_79B9_7F4A_7C15)
            let value = digits.next()
            for shift in stride(from: 60, through: 0, by: -4) {
                let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0x0F
                id.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            }
        }
        append(key: keys.0)
        append(key: keys.1)
        append(key: keys.2)
        return String(decoding: id, as: UTF8.self)
    }
}
