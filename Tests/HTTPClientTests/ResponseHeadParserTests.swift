import Testing

@testable import HTTPClient

/// The header callback's lines, parsed without a socket.
@Suite struct ResponseHeadParserTests {
    private func parse(_ lines: [String]) -> HTTPHeaders {
        var parser = ResponseHeadParser()
        for var line in lines {
            line.withUTF8 { parser.consume(line: UnsafeRawBufferPointer($0)) }
        }
        return parser.headers
    }

    @Test func keepsOnlyTheFinalHead() {
        let headers = parse([
            "HTTP/1.1 100 Continue\r\n", "X-Interim: 1\r\n", "\r\n",
            "HTTP/1.1 200 OK\r\n", "Content-Type: text/plain\r\n", "X-Final:  spaced value \t\r\n", "\r\n",
        ])
        #expect(headers["x-interim"] == nil)
        #expect(headers["content-type"] == "text/plain")
        #expect(headers["X-FINAL"] == "spaced value")
    }

    @Test func ignoresTrailersAfterTheHead() {
        let headers = parse(["HTTP/2 200\r\n", "a: 1\r\n", "\r\n", "x-trailer: late\r\n"])
        #expect(headers["A"] == "1")
        #expect(headers["x-trailer"] == nil)
    }

    @Test func joinsFoldedLinesAndKeepsRepeatedFields() {
        let headers = parse([
            "HTTP/1.1 200 OK\r\n", "X-Long: first\r\n", "\t second\r\n", "Set-Cookie: a=1\r\n", "set-cookie: b=2\r\n",
            "no colon here\r\n", "\r\n",
        ])
        #expect(headers["x-long"] == "first second")
        #expect(headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        #expect(headers.fields.count == 3)
    }
}
