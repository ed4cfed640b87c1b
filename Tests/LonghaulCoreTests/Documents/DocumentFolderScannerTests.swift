import Foundation
import LonghaulCore
import Testing
import TestSupport

@Suite struct DocumentFolderScannerTests {
    private func makeTree() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        for path in ["b.txt", "a.md", "a/z.txt", "a/b/deep.md", "reports/q1.txt", "reports/2024/q2.md", "notes.txt"] {
            try folder.write(path, "text of \(path)")
        }
        try folder.write(".hidden.txt", "hidden")
        try folder.write(".git/config", "hidden folder")
        try folder.write("a/.cache/x.txt", "hidden folder below")
        return folder
    }

    private func paths(_ files: [DocumentFile]) -> [String] { files.map(\.relativePath) }

    @Test func recursiveScanListsEveryVisibleFileSortedByPath() async throws {
        let folder = try makeTree()
        let files = try await DocumentFolderScanner(folder: folder.path).scan()
        #expect(paths(files) == ["a.md", "a/b/deep.md", "a/z.txt", "b.txt", "notes.txt", "reports/2024/q2.md", "reports/q1.txt"])
        #expect(files.first?.path == folder.path + "/a.md")
        #expect(files.first?.status == .file(byteSize: Int64("text of a.md".utf8.count)))
    }

    @Test func pathsSortByteWiseInUTF8() async throws {
        let folder = try TemporaryFolder()
        let names = ["é.txt", "z.txt", "Z.txt", "ab.txt", "a.txt", "a b.txt", "a/x.txt", "a-b.txt", "日本.txt", "ä.txt"]
        for name in names { try folder.write(name, "text of \(name)") }
        let files = try await DocumentFolderScanner(folder: folder.path).scan()
        // Byte order, not Unicode order: the upper case before the lower, a space and '-' before '.'
        // and '/', and every non-ASCII name after every ASCII one, in the order of its bytes.
        #expect(paths(files) == ["Z.txt", "a b.txt", "a-b.txt", "a.txt", "a/x.txt", "ab.txt", "z.txt", "ä.txt", "é.txt", "日本.txt"])
    }

    @Test func flatScanStaysInTheTopFolder() async throws {
        let folder = try makeTree()
        let files = try await DocumentFolderScanner(folder: folder.path, recursive: false).scan()
        #expect(paths(files) == ["a.md", "b.txt", "notes.txt"])
    }

    @Test func includeAndExcludePatternsFilterRelativePaths() async throws {
        let folder = try makeTree()
        func scan(include: [String] = [], exclude: [String] = []) async throws -> [String] {
            let scanner = DocumentFolderScanner(
                folder: folder.path, include: try include.map(DocumentGlob.init), exclude: try exclude.map(DocumentGlob.init))
            return paths(try await scanner.scan())
        }
        #expect(try await scan(include: ["*.md"]) == ["a.md", "a/b/deep.md", "reports/2024/q2.md"])
        #expect(try await scan(include: ["/*.md"]) == ["a.md"])
        #expect(try await scan(include: ["reports/**"]) == ["reports/2024/q2.md", "reports/q1.txt"])
        #expect(try await scan(include: ["**/*.txt"]) == ["a/z.txt", "b.txt", "notes.txt", "reports/q1.txt"])
        #expect(try await scan(exclude: ["reports/**", "a/"]) == ["a.md", "b.txt", "notes.txt"])
        #expect(try await scan(include: ["*.txt"], exclude: ["notes.*"]) == ["a/z.txt", "b.txt", "reports/q1.txt"])
    }

    @Test func symlinksInsideAreFollowedAndProblemsAreReported() async throws {
        let folder = try TemporaryFolder()
        let outside = try TemporaryFolder()
        try outside.write("secret.txt", "outside")
        try folder.write("real/doc.txt", "inside")
        try folder.link("alias.txt", to: "real/doc.txt")
        try folder.link("real/up", to: "..")  // a loop back to the top
        try folder.link("real/self", to: ".")  // a loop to its own folder
        try folder.link("spin", to: "spin")  // a link to itself: ELOOP
        try folder.link("escape.txt", to: outside.path + "/secret.txt")
        try folder.link("escape-dir", to: outside.path)
        try folder.link("dangling.txt", to: "nowhere.txt")
        try folder.link("mirror", to: "real")  // a second way into a folder, not a loop

        let files = try await DocumentFolderScanner(folder: folder.path).scan()
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.relativePath, $0.status) })
        #expect(byPath["alias.txt"] == .file(byteSize: 6))
        #expect(byPath["real/doc.txt"] == .file(byteSize: 6))
        #expect(byPath["mirror/doc.txt"] == .file(byteSize: 6))
        #expect(byPath["real/up"] == .refused(.symlinkLoop))
        #expect(byPath["real/self"] == .refused(.symlinkLoop))
        #expect(byPath["mirror/up"] == .refused(.symlinkLoop))
        #expect(byPath["spin"] == .refused(.symlinkLoop))
        #expect(byPath["escape.txt"] == .refused(.symlinkOutsideFolder(target: outside.path + "/secret.txt")))
        #expect(byPath["escape-dir"] == .refused(.symlinkOutsideFolder(target: outside.path)))
        #expect(byPath["dangling.txt"] == .refused(.brokenSymlink(target: "nowhere.txt")))
        #expect(files.count == 11)
        #expect(
            files.first { $0.relativePath == "spin" }?.description == "spin: symlink loop")

        // The reader passes the scanner's refusal on.
        let result = await DocumentReader().read(try #require(files.first { $0.relativePath == "real/up" }))
        #expect(result == .skipped(DocumentSkip(relativePath: "real/up", reason: .symlinkLoop)))
    }

    @Test func aFolderThatCannotBeScannedIsAnError() async throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("plain.txt", "not a folder")
        await #expect(throws: DocumentScanError.self) {
            try await DocumentFolderScanner(folder: folder.path + "/missing").scan()
        }
        do {
            _ = try await DocumentFolderScanner(folder: file).scan()
            Issue.record("scanning a file should fail")
        } catch {
            #expect(error.description == "cannot scan \(file): it is not a folder; pass a directory")
        }
    }

    @Test func unreadableSubfolderIsReportedUnlessRunningAsRoot() async throws {
        let folder = try TemporaryFolder()
        try folder.write("locked/inside.txt", "text")
        try folder.write("open.txt", "text")
        chmod(folder.path + "/locked", 0)
        let files = try await DocumentFolderScanner(folder: folder.path).scan()
        if geteuid() == 0 {
            // root reads a mode-000 folder anyway: the file inside is listed like any other.
            #expect(paths(files) == ["locked/inside.txt", "open.txt"])
        } else {
            #expect(files.first?.status == .refused(.unreadable(errno: EACCES)))
            #expect(files.first?.description == "locked: unreadable: permission denied")
        }
    }

    @Test func tenThousandSmallFilesAreScanned() async throws {
        let folder = try TemporaryFolder()
        var created = 0
        for group in 0..<100 {
            try folder.makeFolder("group-\(group)")
            for item in 0..<100 {
                let descriptor = open(folder.path + "/group-\(group)/note-\(item).txt", O_WRONLY | O_CREAT, 0o644)
                if descriptor >= 0, write(descriptor, "note", 4) == 4 { created += 1 }
                close(descriptor)
            }
        }
        #expect(created == 10_000)
        let started = ContinuousClock.now
        let files = try await DocumentFolderScanner(folder: folder.path).scan()
        let elapsed = ContinuousClock.now - started
        print("scanned 10,000 files in \(elapsed)")
        #expect(files.count == 10_000)
        #expect(files.allSatisfy { if case .file = $0.status { true } else { false } })
        #expect(files.first?.relativePath == "group-0/note-0.txt")
        // Not a benchmark (the figure is about 0.5 s in a debug build): a bound far above it, which
        // a loaded machine or the thread sanitizer cannot break, against gross regressions.
        #expect(elapsed < .seconds(60), "scanning 10,000 files took \(elapsed)")
    }

    @Test func namesThatAreNotUTF8AreRefusedUnderDistinctEscapedNames() async throws {
        let folder = try TemporaryFolder()
        try folder.write("good.txt", "text")
        for last: UInt8 in [0xFE, 0xFF] {
            let name = Array((folder.path + "/bad").utf8) + [last] + Array(".txt".utf8) + [0]
            let descriptor = name.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
            }
            #expect(descriptor >= 0)
            close(descriptor)
        }
        let files = try await DocumentFolderScanner(folder: folder.path).scan()
        #expect(paths(files) == [#"bad\xFE.txt"#, #"bad\xFF.txt"#, "good.txt"])
        #expect(files.filter { $0.relativePath.hasPrefix("bad") }.allSatisfy { $0.status == .refused(.invalidFileName) })
    }
}
