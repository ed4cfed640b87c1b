import Foundation
import LonghaulCore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ExternalToolDocumentTests {
    /// A one-page PDF written by hand (fonts, offsets and all), so the test does not depend on the
    /// examples folder; `pdftotext` must extract its two lines.
    static func handMadePDF(lines: [String]) -> [UInt8] {
        let stream = "BT /F1 12 Tf 72 720 Td 14 TL " + lines.map { "(\($0)) '" }.joined(separator: " ") + " ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (number, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(number + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(pdf.utf8)
    }

    @Test func pdfTextComesFromPdftotext() async throws {
        let folder = try TemporaryFolder()
        let bytes = Self.handMadePDF(lines: ["Quarterly report", "Revenue grew by 12 percent."])
        try folder.write("report.pdf", bytes: bytes)
        let document = try await readDocument(folder.file("report.pdf"))
        #expect(document.text == "Quarterly report\nRevenue grew by 12 percent.")
        #expect(document.format == .pdf)
        #expect(document.mediaType == "application/pdf")
        #expect(document.byteSize == Int64(bytes.count))
    }

    @Test func brokenPDFReportsWhatPdftotextSaid() async throws {
        let folder = try TemporaryFolder()
        try folder.write("broken.pdf", "%PDF-1.4\nthis is not really a PDF\n")
        let skip = await readSkip(folder.file("broken.pdf"))
        guard case .toolFailed(tool: "pdftotext", exitStatus: let status, message: let message) = skip?.reason else {
            Issue.record("expected pdftotext to fail, got \(String(describing: skip))")
            return
        }
        #expect(status != 0)
        #expect(!message.isEmpty)
        #expect(skip?.reason.description.hasPrefix("pdftotext failed: ") == true)
    }

    @Test func aMissingToolNamesItsDebianPackage() async throws {
        let folder = try TemporaryFolder()
        try folder.write("report.pdf", bytes: Self.handMadePDF(lines: ["x"]))
        try folder.write("letter.docx", bytes: StoredZipArchive.wordDocument(body: "<w:p><w:r><w:t>x</w:t></w:r></w:p>"))
        let reader = DocumentReader(tools: .init(pdftotext: "longhaul-no-such-pdftotext", unzip: "/nonexistent/unzip"))
        let pdf = await readSkip(folder.file("report.pdf"), with: reader)
        #expect(pdf?.reason == .toolMissing(tool: "pdftotext", debianPackage: "poppler-utils"))
        #expect(pdf?.reason.description == "pdftotext is not installed: install the Debian package poppler-utils (apt-get install poppler-utils)")
        #expect(await readSkip(folder.file("letter.docx"), with: reader)?.reason == .toolMissing(tool: "unzip", debianPackage: "unzip"))
    }

    @Test func docxParagraphsTabsAndEntitiesBecomeText() async throws {
        let folder = try TemporaryFolder()
        let body = """
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>\
            <w:r><w:t>Minutes</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> 14 May</w:t></w:r></w:p>\
            <w:p><w:r><w:t>Fish &amp; chips &lt;3 &#233;t&#xE9;</w:t></w:r><w:r><w:br/><w:t>next line</w:t></w:r></w:p>\
            <w:p/>\
            <w:p><w:r><w:del><w:delText>deleted</w:delText></w:del><w:instrText>PAGE</w:instrText><w:t>議事録</w:t></w:r></w:p>
            """
        try folder.write("minutes.docx", bytes: StoredZipArchive.wordDocument(body: body))
        let document = try await readDocument(folder.file("minutes.docx"))
        #expect(document.text == "Minutes\t 14 May\nFish & chips <3 été\nnext line\n\n議事録")
        #expect(document.format == .docx)
    }

    @Test func docxThatIsNotAWordDocumentIsMalformed() async throws {
        let folder = try TemporaryFolder()
        try folder.write("notzip.docx", "plain text pretending")
        var other = StoredZipArchive()
        other.add("xl/workbook.xml", "<workbook/>")
        try folder.write("sheet.docx", bytes: other.bytes)
        #expect(await readSkip(folder.file("notzip.docx"))?.reason == .malformed(.docx, detail: "it is not a ZIP archive"))
        let skip = await readSkip(folder.file("sheet.docx"))
        #expect(skip?.reason == .malformed(.docx, detail: "it has no word/document.xml"))
        #expect(skip?.reason.description == "not a valid DOCX file: it has no word/document.xml")
    }

    /// A stand-in tool (a real shell script run as a real process) for the time and size limits.
    private func script(_ folder: TemporaryFolder, _ name: String, _ body: String) throws -> String {
        let path = try folder.write(name, "#!/bin/sh\n\(body)\n")
        chmod(path, 0o755)
        return path
    }

    @Test func aToolThatHangsIsKilledAtTheTimeout() async throws {
        let folder = try TemporaryFolder()
        let slow = try script(folder, "slow-pdftotext", "exec sleep 600")
        try folder.write("report.pdf", bytes: Self.handMadePDF(lines: ["x"]))
        let reader = DocumentReader(tools: .init(pdftotext: slow, timeout: .milliseconds(300)))
        let started = ContinuousClock.now
        let skip = await readSkip(folder.file("report.pdf"), with: reader)
        #expect(skip?.reason == .toolTimedOut(tool: "pdftotext", timeout: .milliseconds(300)))
        #expect(skip?.reason.description == "pdftotext ran for more than 0.3 s and was stopped")
        // The tool would sleep for ten minutes: ending at all proves it was killed.
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test func aToolThatWritesTooMuchIsStopped() async throws {
        let folder = try TemporaryFolder()
        let chatty = try script(folder, "chatty-pdftotext", "exec yes 'a long line of output'")
        try folder.write("report.pdf", bytes: Self.handMadePDF(lines: ["x"]))
        let reader = DocumentReader(limits: .init(maxToolOutputBytes: 1_000_000), tools: .init(pdftotext: chatty))
        #expect(await readSkip(folder.file("report.pdf"), with: reader)?.reason == .toolOutputTooLarge(tool: "pdftotext", limit: 1_000_000))
    }

    @Test func largeOutputAndLargeErrorOutputDoNotDeadlock() async throws {
        let folder = try TemporaryFolder()
        // 3 MB on each pipe, far past a pipe's 64 KB buffer, before exiting successfully.
        let noisy = try script(
            folder, "noisy-pdftotext",
            "head -c 3000000 /dev/zero | tr '\\0' 'e' >&2; head -c 3000000 /dev/zero | tr '\\0' 'o'")
        try folder.write("report.pdf", bytes: Self.handMadePDF(lines: ["x"]))
        let document = try await readDocument(folder.file("report.pdf"), with: DocumentReader(tools: .init(pdftotext: noisy)))
        #expect(document.text.utf8.count == 3_000_000)
    }

    @Test func cancellingTheReadKillsTheTool() async throws {
        let folder = try TemporaryFolder()
        let slow = try script(folder, "slow-pdftotext", "exec sleep 600")
        try folder.write("report.pdf", bytes: Self.handMadePDF(lines: ["x"]))
        let reader = DocumentReader(tools: .init(pdftotext: slow, timeout: .seconds(900)))
        let file = folder.file("report.pdf")
        let started = ContinuousClock.now
        let task = Task { await reader.read(file) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        #expect(await task.value == .skipped(DocumentSkip(relativePath: "report.pdf", reason: .cancelled)))
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test func manyToolRunsAtOnceAllFinish() async throws {
        let folder = try TemporaryFolder()
        for index in 0..<24 {
            try folder.write("doc-\(index).pdf", bytes: Self.handMadePDF(lines: ["Document \(index)"]))
        }
        let reader = DocumentReader()
        let texts = await withTaskGroup(of: String.self) { group in
            for index in 0..<24 {
                group.addTask { (try? await readDocument(folder.file("doc-\(index).pdf"), with: reader).text) ?? "failed" }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(texts == Set((0..<24).map { "Document \($0)" }))
    }
}
