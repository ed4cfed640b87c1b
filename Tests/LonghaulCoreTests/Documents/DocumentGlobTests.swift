import LonghaulCore
import Testing

@Suite struct DocumentGlobTests {
    @Test(arguments: [
        ("*.md", "a.md", true), ("*.md", "notes/deep/a.md", true), ("*.md", "a.mdx", false),
        ("/*.md", "a.md", true), ("/*.md", "notes/a.md", false),
        ("reports/**", "reports/q1.txt", true), ("reports/**", "reports/2024/q2.md", true),
        ("reports/**", "other/reports/q1.txt", false), ("reports/*", "reports/2024/q2.md", false),
        ("**/*.txt", "b.txt", true), ("**/*.txt", "a/b/c.txt", true), ("**/*.txt", "a/b/c.md", false),
        ("a/**/z.txt", "a/z.txt", true), ("a/**/z.txt", "a/b/c/z.txt", true), ("a/**/z.txt", "ab/z.txt", false),
        ("drafts/", "drafts/x/y.txt", true), ("note-?.txt", "note-1.txt", true), ("note-?.txt", "note-10.txt", false),
        ("[ab]*.txt", "b.txt", true), ("[!ab]*.txt", "b.txt", false), ("[a-c][0-9].md", "c7.md", true),
        ("日本/*.txt", "日本/春.txt", true), ("?.txt", "春.txt", true), ("\\*.txt", "*.txt", true), ("\\*.txt", "a.txt", false),
        ("*", "a/b", true), ("a/*", "a/b/c", false), ("**", "a/b/c", true),
    ])
    func matches(pattern: String, path: String, expected: Bool) throws {
        #expect(try DocumentGlob(pattern).matches(path) == expected)
    }

    @Test func invalidPatternsAreRefusedWithTheProblem() {
        #expect(throws: DocumentGlobError(pattern: "[ab", problem: "a [ is never closed by ]")) { try DocumentGlob("[ab") }
        #expect(throws: DocumentGlobError.self) { try DocumentGlob("") }
        #expect(throws: DocumentGlobError.self) { try DocumentGlob("[z-a]") }
    }

    @Test func longPathsAndStarsStayFast() throws {
        let glob = try DocumentGlob("**/*a*a*a*a*a*b")
        let path = String(repeating: "a/", count: 500) + String(repeating: "a", count: 2000)
        #expect(!glob.matches(path))
    }
}
