import Foundation
import LonghaulCore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Reads the file and returns the document, or records why there is none.
func readDocument(_ file: DocumentFile, with reader: DocumentReader = DocumentReader()) async throws -> ExtractedDocument {
    switch await reader.read(file) {
    case .document(let document): return document
    case .skipped(let skip): throw skip
    }
}

/// Reads the file and returns the refusal, failing the test when it became a document.
func readSkip(_ file: DocumentFile, with reader: DocumentReader = DocumentReader()) async -> DocumentSkip? {
    switch await reader.read(file) {
    case .document(let document):
        Issue.record("\(file.relativePath) was read as \(document.text.prefix(80))")
        return nil
    case .skipped(let skip): return skip
    }
}

@Suite struct DocumentReaderTextTests {
    @Test(arguments: [
        ("notes.txt", DocumentFormat.plainText, "text/plain"), ("README", .plainText, "text/plain"),
        ("guide.md", .markdown, "text/markdown"), ("manual.rst", .reStructuredText, "text/x-rst"),
        ("table.csv", .csv, "text/csv"), ("LOUD.TXT", .plainText, "text/plain"),
    ])
    func plainTextFormatsKeepTheirText(name: String, format: DocumentFormat, mediaType: String) async throws {
        let folder = try TemporaryFolder()
        let content = "First line of \(name)\n\tindented, with a, comma\n"
        try folder.write(name, content)
        let document = try await readDocument(folder.file(name))
        #expect(document.text == "First line of \(name)\n\tindented, with a, comma")
        #expect(document.format == format)
        #expect(document.mediaType == mediaType)
        #expect(document.byteSize == Int64(content.utf8.count))
        #expect(document.relativePath == name)
    }

    @Test func shaIsOfTheOriginalBytes() async throws {
        let folder = try TemporaryFolder()
        try folder.write("abc.txt", "abc")
        let document = try await readDocument(folder.file("abc.txt"))
        #expect(document.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func whitespaceIsNormalised() async throws {
        let folder = try TemporaryFolder()
        try folder.write("messy.txt", "\n\n  \r\nTitle   \r\n\r\n\r\n\r\nBody line\t \rnext\u{0C}page two\n\n\n")
        #expect(try await readDocument(folder.file("messy.txt")).text == "Title\n\nBody line\nnext\npage two")
    }

    @Test func japaneseSurvivesUntouched() async throws {
        let folder = try TemporaryFolder()
        let text = "春の朝、川辺を歩いた。\n\n　桜はまだ五分咲きで、風は少し冷たい。🌸"
        try folder.write("日記/春.md", text)
        let document = try await readDocument(folder.file("日記/春.md"))
        #expect(document.text == text)
        #expect(document.relativePath == "日記/春.md")
    }

    @Test func byteOrderMarksAreRecognised() async throws {
        let folder = try TemporaryFolder()
        let text = "Grüße aus 東京 — 𝄞"
        let littleEndian = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        try folder.write("le.txt", bytes: [0xFF, 0xFE] + littleEndian)
        try folder.write("be.txt", bytes: [0xFE, 0xFF] + bigEndian)
        try folder.write("bom8.txt", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        for name in ["le.txt", "be.txt", "bom8.txt"] {
            #expect(try await readDocument(folder.file(name)).text == text, "\(name)")
        }
        // A lone high surrogate in UTF-16 is reported where it stands.
        try folder.write("bad16.txt", bytes: [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00])
        #expect(await readSkip(folder.file("bad16.txt"))?.reason == .invalidEncoding(.utf16LittleEndian, byteOffset: 4, byteOrderMark: true))
    }

    @Test func jsonIsValidatedAndKeptAsWritten() async throws {
        let folder = try TemporaryFolder()
        let json = "{\n  \"name\": \"Longhaul\",\n  \"tags\": [\"a\", \"é\"]\n}"
        try folder.write("good.json", json)
        let document = try await readDocument(folder.file("good.json"))
        #expect(document.text == json)
        #expect(document.mediaType == "application/json")
        try folder.write("bad.json", "{\"name\": }")
        let skip = await readSkip(folder.file("bad.json"))
        guard case .invalidJSON = skip?.reason else {
            Issue.record("expected invalid JSON, got \(String(describing: skip))")
            return
        }
        #expect(skip?.description.hasPrefix("bad.json: invalid JSON: ") == true)
    }

    @Test func deeplyNestedJSONDoesNotCrashTheParser() async throws {
        let folder = try TemporaryFolder()
        try folder.write("deep.json", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        // Whether a parser accepts such depth is its choice; it must answer, not overflow the stack.
        switch await DocumentReader().read(folder.file("deep.json")) {
        case .document(let document): #expect(document.text.utf8.count == 200_000)
        case .skipped(let skip): #expect(skip.description.hasPrefix("deep.json: invalid JSON: "))
        }
    }

    @Test func refusalsSayWhy() async throws {
        let folder = try TemporaryFolder()
        try folder.write("empty.txt", bytes: [])
        try folder.write("blank.md", " \n\n\t\n")
        try folder.write("nul.txt", bytes: Array(repeating: UInt8(ascii: "a"), count: 512) + [0] + Array("tail".utf8))
        try folder.write("controls.txt", bytes: (0..<200).map { UInt8($0 % 8 + 1) })
        try folder.write("latin1.txt", bytes: Array("caf".utf8) + [0xE9] + Array(" au lait".utf8))
        try folder.write("late.txt", bytes: Array(repeating: UInt8(ascii: "x"), count: 1234) + [0xC3, 0x28])
        try folder.write("bom-then-bad.txt", bytes: [0xEF, 0xBB, 0xBF, 0x41, 0xFF])
        try folder.write("sheet.xlsx", "PK")
        let expected: [(String, DocumentSkipReason, String)] = [
            ("empty.txt", .empty, "empty file"),
            ("blank.md", .noText, "no text after extraction"),
            ("nul.txt", .binary(.nulByte(offset: 512)), "binary file (NUL byte at offset 512)"),
            ("controls.txt", .binary(.controlCharacters(count: 200, sampleSize: 200)), "binary file (200 control characters in the first 200 bytes)"),
            ("latin1.txt", .invalidEncoding(.utf8, byteOffset: 3, byteOrderMark: false), "not valid UTF-8 at byte 3 and no BOM"),
            ("late.txt", .invalidEncoding(.utf8, byteOffset: 1234, byteOrderMark: false), "not valid UTF-8 at byte 1234 and no BOM"),
            ("bom-then-bad.txt", .invalidEncoding(.utf8, byteOffset: 4, byteOrderMark: true), "not valid UTF-8 at byte 4 after a UTF-8 byte order mark"),
            ("sheet.xlsx", .unsupportedType(fileExtension: "xlsx"), "unsupported file type .xlsx"),
        ]
        for (name, reason, message) in expected {
            let skip = await readSkip(folder.file(name))
            #expect(skip?.reason == reason, "\(name)")
            #expect(skip?.reason.description == message, "\(name)")
        }
    }

    @Test func sizeLimitsAreCheckedBeforeReading() async throws {
        let folder = try TemporaryFolder()
        // A sparse 120 MB file: reading it whole would take the memory the limit protects.
        let path = try folder.write("huge.txt", "start")
        #expect(truncate(path, 120_000_000) == 0)
        let skip = await readSkip(folder.file("huge.txt"))
        // A text file may be twice the 32 MiB of text a job takes (plus two bytes of BOM).
        #expect(skip?.reason == .fileTooLarge(byteSize: 120_000_000, limit: 67_108_866))
        #expect(skip?.reason.description == "too large: 120 MB, the limit is 67.1 MB")

        let small = DocumentReader(limits: .init(maxFileBytes: 1_000, maxTextBytes: 100))
        try folder.write("page.html", "<p>" + String(repeating: "word ", count: 100) + "</p>")
        try folder.write("big.pdf", bytes: Array(repeating: 0x20, count: 1_001))
        #expect(await readSkip(folder.file("page.html"), with: small)?.reason == .textTooLarge(byteSize: 499, limit: 100))
        #expect(await readSkip(folder.file("big.pdf"), with: small)?.reason.description == "too large: 1001 bytes, the limit is 1000 bytes")
    }

    @Test func unreadableFilesAreReportedHonestly() async throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("locked.txt", "secret text")
        chmod(path, 0)
        let result = await DocumentReader().read(folder.file("locked.txt"))
        if geteuid() == 0 {
            // Mode 000 does not stop root (CAP_DAC_OVERRIDE): the file is read, which is right.
            guard case .document(let document) = result else {
                Issue.record("root should read a mode-000 file, got \(result)")
                return
            }
            #expect(document.text == "secret text")
        } else {
            #expect(result == .skipped(DocumentSkip(relativePath: "locked.txt", reason: .unreadable(errno: EACCES))))
            #expect("\(DocumentSkipReason.unreadable(errno: EACCES))" == "unreadable: permission denied")
        }
        // A file that vanished between scan and read exercises the same path for everyone.
        let gone = await readSkip(folder.file("vanished.txt"))
        #expect(gone?.reason == .unreadable(errno: ENOENT))
        #expect(gone?.description == "vanished.txt: unreadable: no such file or directory")
    }

    @Test func aFIFOIsNotOpenedForReading() async throws {
        let folder = try TemporaryFolder()
        #expect(mkfifo(folder.path + "/pipe.txt", 0o644) == 0)
        let files = try await DocumentFolderScanner(folder: folder.path).scan()
        #expect(files.map(\.status) == [.refused(.notRegularFile)])
        // Even handed a FIFO as if it were a file, the reader does not hang on it.
        #expect(await readSkip(folder.file("pipe.txt"))?.reason == .notRegularFile)
    }
}
