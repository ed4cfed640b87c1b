import Foundation
import Testing

@testable import LonghaulCore

@Suite struct PDFPageCleanerTests {
    /// Four pages as `pdftotext` writes them: a running header, the page's text, a footer with
    /// the page number, a form feed after each page.
    static let report: String = (1...4).map { page in
        """
        Harbour Authority — Annual Report 2023
        
        Section \(page) tells what the wardens did in quarter \(page).
        The flood gates were tested in \(["spring", "summer", "autumn", "winter"][page - 1]).
        
        Confidential · Page \(page) of 4
        """
    }.joined(separator: "\u{0C}") + "\u{0C}"

    @Test func runningHeadersFootersAndPageNumbersGo() {
        let cleaned = TextNormalizer.normalize(PDFPageCleaner.clean(Self.report))
        #expect(!cleaned.contains("Annual Report 2023"))
        #expect(!cleaned.contains("Confidential"))
        for page in 1...4 {
            #expect(cleaned.contains("Section \(page) tells what the wardens did in quarter \(page)."))
            #expect(cleaned.contains("The flood gates were tested in \(["spring", "summer", "autumn", "winter"][page - 1])."))
        }
        let order = (1...4).compactMap { cleaned.range(of: "Section \($0) ")?.lowerBound }
        #expect(order == order.sorted())
    }

    @Test func lonePageNumbersGoEvenWhenTheyDiffer() {
        let pages = ["Intro text here.\n\n1", "More text.\n\n- 2 -", "Even more.\n\nii", "The end.\n\nPage 4"]
        let cleaned = TextNormalizer.normalize(PDFPageCleaner.clean(pages.joined(separator: "\u{0C}")))
        #expect(cleaned == "Intro text here.\n\nMore text.\n\nEven more.\n\nThe end.")
    }

    @Test func shortDocumentsAndBodyTextAreLeftAlone() {
        let two = "Title\nBody one.\u{0C}Title\nBody two."
        #expect(PDFPageCleaner.clean(two) == two)
        // A line that repeats in the middle of pages is content, not a header.
        let pages = (1...3).map { "Heading \($0)\nIntro \($0).\nNote: keep the gates shut.\nMore about \($0).\nEnd \($0)." }
        #expect(PDFPageCleaner.clean(pages.joined(separator: "\u{0C}")).components(separatedBy: "Note: keep the gates shut.").count == 4)
    }

    @Test(arguments: ["7", "Page 7", "p. 7", "7 of 20", "7 / 20", "- 7 -", "vii", "Seite 3"])
    func pageNumbers(_ line: String) { #expect(PDFPageCleaner.isPageNumber(line)) }

    @Test(arguments: ["Chapter 7", "7 days later", "Table 2 of the report", "civil works"])
    func notPageNumbers(_ line: String) { #expect(!PDFPageCleaner.isPageNumber(line)) }
}
