public import Foundation

/// Public identifiers such as `job_01JD3V9Q6ZK7M4R8T2W5X0YABC`: a prefix, then 26 Crockford
/// base32 characters holding 48 bits of milliseconds and 80 random bits, so ids sort by creation
/// time (cursor pagination stays stable) and cannot be guessed.
public enum PublicID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public static func make(_ prefix: String, at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index))) }
        for index in 6..<16 { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        // 128 bits → 26 characters of 5 bits (the first carries 3 bits).
        var characters = [UInt8](repeating: 0, count: 26)
        var high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        for index in stride(from: 25, through: 0, by: -1) {
            characters[index] = alphabet[Int(low & 31)]
            low = (low >> 5) | ((high & 31) << 59)
            high >>= 5
        }
        return prefix + "_" + String(decoding: characters, as: UTF8.self)
    }
}
