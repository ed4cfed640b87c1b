extension Sequence where Element == UInt8 {
    /// The bytes as lower-case hexadecimal, two digits per byte: how hashes are written in keys,
    /// manifests and SQL (`decode(…, 'hex')`).
    ///
    /// Written out by hand: `String(format: "%02x")` per byte goes through Foundation's
    /// formatter and took half the CPU time of enqueueing 10,000 documents.
    ///
    /// Contiguous bytes (`Data`, arrays, digests) are read in place and written straight into the
    /// string: through `Data`'s iterator and an intermediate array, the five hashes written per
    /// job were 2 % of `longhaul batch`'s CPU.
    public var hexString: String {
        withContiguousStorageIfAvailable(hexText) ?? Array(self).withUnsafeBufferPointer(hexText)
    }
}

private func hexText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: bytes.count * 2) { text in
        for (index, byte) in bytes.enumerated() {
            text[2 * index] = hexDigit(byte >> 4)
            text[2 * index + 1] = hexDigit(byte & 0x0F)
        }
        return bytes.count * 2
    }
}

private func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
}
