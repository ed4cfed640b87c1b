import Testing

@testable import LonghaulDashboard

@Suite("HTML escaping by construction")
struct HTMLEscapingTests {
    static let hostile = [
        "<script>window.__pwned=1</script>", "\"><img src=x onerror=\"window.__pwned=1\">", "' onmouseover='window.__pwned=1",
        "javascript:window.__pwned=1", "</textarea></pre><svg onload=window.__pwned=1>", "a&b<c>d\"e'f",
    ]

    @Test("interpolated strings become text in elements and in quoted attributes", arguments: hostile)
    func interpolatedTextIsEscaped(value: String) {
        let html: HTML = "<td title=\"\(value)\">\(value)</td>"
        let escaped = HTMLEscaping.escaped(value)
        #expect(!escaped.contains(where: { "<>\"'".contains($0) }))
        #expect(html.rendered == "<td title=\"" + escaped + "\">" + escaped + "</td>")
    }

    @Test("markup from HTML values passes, from strings never")
    func markupOnlyFromHTML() {
        let bold: HTML = "<b>\("<i>")</b>"
        let page: HTML = "<p>\(bold)</p>"
        #expect(page.rendered == "<p><b>&lt;i&gt;</b></p>")
    }

    @Test("bidirectional overrides are shown, not obeyed; control characters replaced")
    func bidiAndControls() {
        let html: HTML = "\("invoice\u{202E}fdp.exe") \("a\u{2066}b") \("x\u{0}y")"
        #expect(html.rendered == "invoice[U+202E]fdp.exe a[U+2066]b x\u{FFFD}y")
    }

    @Test("long values are shortened in cells with an ellipsis")
    func shortening() {
        let long = String(repeating: "A", count: 10_000)
        #expect(HTMLEscaping.shortened(long, to: 80).count == 80)
        #expect(HTMLEscaping.shortened("short", to: 80) == "short")
    }
}
