import Foundation
import LonghaulCore
import Testing

@Suite struct HexTests {
    @Test("bytes become two lower-case hex digits each")
    func digits() {
        #expect([UInt8]().hexString == "")
        #expect([0x00, 0x09, 0x0A, 0x0F, 0x10, 0xA5, 0xFF].hexString == "00090a0f10a5ff")
        #expect(Data((0...255).map(UInt8.init)).hexString == (0...255).map { String($0, radix: 16).leftPaddedHex }.joined())
        // A sequence with no contiguous storage takes the other path, to the same digits.
        #expect((0...255).lazy.map(UInt8.init).hexString == (0...255).map { String($0, radix: 16).leftPaddedHex }.joined())
        #expect(Data([0xAB, 0x01])[1...].hexString == "01")
    }
}

extension String {
    fileprivate var leftPaddedHex: String { count == 1 ? "0" + self : self }
}
