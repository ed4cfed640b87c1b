/// Bodies with one byte deleted, doubled or replaced, for holding a fast reader to the reader it
/// stands in for: whatever the fast one reads, the other must read the same. The same mutations
/// on every run for the same generator state.
public enum ByteMutations {
    /// Bytes a mutation puts in: JSON's structure, escapes and number characters, a control
    /// character, a space, a two-byte character's halves and a byte UTF-8 never has.
    static let replacements = Array(#"{}[],:"\0-.eEn/u"#.utf8) + [0x01, 0x20, 0xC3, 0xA9, 0xFF]

    /// `perBody` mutations of each body.
    public static func of(_ bodies: [String], perBody: Int, using random: inout some RandomNumberGenerator) -> [[UInt8]] {
        bodies.flatMap { body in
            let bytes = Array(body.utf8)
            return (0..<perBody).map { _ in
                var mutated = bytes
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: mutated.remove(at: position)
                case 1: mutated.insert(mutated[position], at: position)
                default: mutated[position] = replacements[Int(random.next() % UInt64(replacements.count))]
                }
                return mutated
            }
        }
    }
}
