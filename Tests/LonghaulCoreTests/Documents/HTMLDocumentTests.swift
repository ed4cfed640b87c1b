import Foundation
import LonghaulCore
import Testing
import TestSupport

@Suite struct HTMLDocumentTests {
    func text(ofHTML html: String, reader: DocumentReader = DocumentReader()) async throws -> String {
        let folder = try TemporaryFolder()
        try folder.write("page.html", html)
        return try await readDocument(folder.file("page.html"), with: reader).text
    }

    @Test func scriptsStylesCommentsAndTagsAreDroppedAndEntitiesDecoded() async throws {
        let html = """
            <!DOCTYPE html>
            <html><head><title>Caf&eacute; report</title>
            <style>body { color: red; } p > b { x: "</p>" }</style>
            <script type="text/javascript">if (a < b && c > d) { document.write("<p>not text</p>"); }</script>
            <SCRIPT>var s = "</scripty>";</SCRIPT >
            </head><body>
            <!-- a comment with <p>markup</p> -->
            <h1>Fish &amp; chips</h1>
            <p>Prices &lt;&nbsp;&pound;5 &mdash; &quot;cheap&quot; &apos;n&apos; good&hellip;
               &copy; 2024, &#169; &#x2014; &#X263A; &unknown; &amp without semicolon</p>
            <p class="x" title='a > b'>Second   paragraph
            spread over    lines.</p><ul><li>One</li><li>Two<br>lines</li></ul>
            <table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>
            <pre>  keep
              this</pre>
            <p>1 < 2 and <3 hearts</p><template><p>hidden</p></template>
            </body></html>
            """
        let expected = """
            Café report

            # Fish & chips

            Prices < £5 — "cheap" 'n' good… © 2024, © — ☺ &unknown; &amp without semicolon

            Second paragraph spread over lines.

            One
            Two
            lines

            a\tb
            c\td

              keep
              this

            1 < 2 and <3 hearts
            """
        #expect(try await text(ofHTML: html) == expected)
    }

    @Test func japaneseHTMLSurvives() async throws {
        let html = "<html><body><p>吾輩は猫である。名前はまだ無い。</p><p>&#26481;&#20140;と&#x5927;&#x962A;</p></body></html>"
        #expect(try await text(ofHTML: html) == "吾輩は猫である。名前はまだ無い。\n\n東京と大阪")
    }

    @Test func deeplyNestedHTMLIsLinearAndDoesNotRecurse() async throws {
        let depth = 100_000
        let html = String(repeating: "<div><span>", count: depth) + "bottom" + String(repeating: "</span></div>", count: depth)
        let started = ContinuousClock.now
        let text = try await text(ofHTML: html)
        #expect(text == "bottom")
        #expect(ContinuousClock.now - started < .seconds(60), "100,000 levels took \(ContinuousClock.now - started)")
    }

    /// Inputs that make naive scanners backtrack, rescan or recurse.
    enum HostileMarkup: String, CaseIterable, Sendable {
        case lessThanSigns, unclosedQuotedAttribute, unclosedComment, unclosedScript, longNumericReferences, manyEntities

        var html: String {
            switch self {
            case .lessThanSigns: String(repeating: "<", count: 300_000) + "end"
            case .unclosedQuotedAttribute: "<p title=\"" + String(repeating: "never closed ", count: 30_000)
            case .unclosedComment: "<!--" + String(repeating: "- -> ", count: 60_000)
            case .unclosedScript: "<script>" + String(repeating: "</scrip </ ", count: 30_000)
            case .longNumericReferences: String(repeating: "&#x1234567890abcdef", count: 20_000)
            case .manyEntities: String(repeating: "<a href='x'>&amp;</a>", count: 20_000)
            }
        }
    }

    @Test(arguments: HostileMarkup.allCases)
    func hostileMarkupFinishesQuickly(markup: HostileMarkup) async throws {
        let folder = try TemporaryFolder()
        try folder.write("hostile.html", markup.html)
        let started = ContinuousClock.now
        _ = await DocumentReader().read(folder.file("hostile.html"))
        // Far above the real figure (well under a second) so that a loaded machine or the thread
        // sanitizer cannot fail it; quadratic work on these inputs would take hours.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func pageOfOnlyScriptsHasNoText() async throws {
        let folder = try TemporaryFolder()
        try folder.write("app.htm", "<html><head><script>render()</script></head><body>  </body></html>")
        #expect(await readSkip(folder.file("app.htm"))?.reason == .noText)
    }
}
