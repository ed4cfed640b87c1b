import Foundation
import Testing

@testable import LonghaulAPI

@Suite("Reading the token of an Authorization header")
struct BearerTokenTests {
    @Test("the token is trimmed of what CharacterSet.whitespaces holds, and of nothing else")
    func trimmedAsFoundationTrims() {
        let samples = [
            "secret", "  secret\t", "\u{00A0}secret\u{3000}", "\u{2009}se cret\u{202F}", "\nsecret\n", "\t\u{00A0} ", "",
            "\u{200B}secret", "sécret\u{1680}", "\u{180E}secret\u{205F}", "\u{200C}secret\u{FEFF}",
        ]
        for sample in samples {
            #expect(Authenticator.trimmingWhitespace(Substring(sample)) == sample.trimmingCharacters(in: .whitespaces), "\(sample.debugDescription)")
        }
    }
}
