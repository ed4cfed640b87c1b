import Foundation
import LonghaulCore
import Testing

/// The sample folder of the batch demo: every file but `broken.txt` must give text.
@Suite struct ExamplesFolderTests {
    /// `examples/docs` at the top of the package, found from this file's path.
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Documents, LonghaulCoreTests, Tests, file
        return url.appendingPathComponent("examples/docs").path
    }()

    @Test func everyExampleButTheBrokenOneYieldsText() async throws {
        let files = try await DocumentFolderScanner(folder: Self.folder).scan()
        #expect((15...20).contains(files.count), "examples/docs should hold 15 to 20 documents, has \(files.count)")
        let reader = DocumentReader()
        var formats = Set<DocumentFormat>()
        for file in files {
            switch await reader.read(file) {
            case .document(let document):
                #expect(file.relativePath != "broken.txt", "broken.txt should be refused")
                #expect(!document.text.isEmpty)
                #expect(document.sha256.count == 64)
                formats.insert(document.format)
            case .skipped(let skip):
                #expect(skip.relativePath == "broken.txt", "\(skip)")
            }
        }
        #expect(formats == Set(DocumentFormat.allCases), "every format should have an example")
        #expect(files.contains { $0.relativePath == "broken.txt" })
    }

    @Test func theJapaneseExampleKeepsItsText() async throws {
        let files = try await DocumentFolderScanner(folder: Self.folder, include: [DocumentGlob("*.ja.txt")]).scan()
        let file = try #require(files.first)
        let document = try await readDocument(file)
        #expect(document.text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) }, "kana expected")
        #expect(document.text.contains("。"))
    }
}
