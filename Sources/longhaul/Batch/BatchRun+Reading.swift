import ArgumentParser
import Foundation
import LonghaulCore

extension BatchRun {
    /// Readable documents handed on at a time: the unit of validation and of one enqueue
    /// transaction, and what bounds the texts held at once.
    static let chunkSize = 500

    /// Files read at once (PDF and DOCX run external tools).
    static let readsInFlight = 4

    /// Reads the scanned `files` a few at a time and hands them to `eachChunk` in the scan's
    /// order (paths sorted bytewise), each chunk holding up to `chunkSize` readable
    /// documents and the skipped files among them. `eachChunk` runs while the next files are
    /// read, so enqueueing and reading overlap (a 100,000-file folder read 13.3 s and then
    /// enqueued 17.9 s, one after the other), and no more than a few chunks' texts are ever held.
    func read(_ files: [DocumentFile], _ eachChunk: ([Entry]) async throws -> Void) async throws {
        let reader = DocumentReader()
        // Reads may finish out of order; they are handed on in order, and never more than a few
        // chunks ahead of what `eachChunk` has taken.
        let readAhead = Self.chunkSize * 2
        var finished: [Int: DocumentReadResult] = [:]
        var chunk: [Entry] = []
        var readable = 0
        try await withThrowingTaskGroup(of: (Int, DocumentReadResult).self) { group in
            var next = 0, handedOn = 0
            func startReads() {
                while next < files.count && next - handedOn < readAhead && next - handedOn - finished.count < Self.readsInFlight {
                    let index = next
                    next += 1
                    group.addTask { (index, await reader.read(files[index])) }
                }
            }
            startReads()
            while let (index, result) = try await group.next() {
                finished[index] = result
                while let result = finished.removeValue(forKey: handedOn) {
                    handedOn += 1
                    let entry = Entry(result)
                    if entry.document != nil { readable += 1 }
                    chunk.append(entry)
                    if readable == Self.chunkSize {
                        try await eachChunk(chunk)
                        chunk = []
                        readable = 0
                    }
                }
                startReads()
            }
        }
        if !chunk.isEmpty { try await eachChunk(chunk) }
    }

    /// The folder's files (`--recursive`, `--include`, `--exclude`), sorted by path; a folder
    /// that cannot be read is the user's error, named.
    func scan(_ folder: URL) async throws -> [DocumentFile] {
        let scanner = DocumentFolderScanner(
            folder: folder.path, recursive: command.recursive,
            include: try command.include.map { try DocumentGlob($0) }, exclude: try command.exclude.map { try DocumentGlob($0) })
        do {
            return try await scanner.scan()
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

extension BatchRun.Entry {
    init(_ result: DocumentReadResult) {
        switch result {
        case .document(let document):
            self.init(
                relativePath: document.relativePath, fileSHA256: document.sha256, byteSize: document.byteSize,
                format: document.format.rawValue, document: document)
        case .skipped(let skip):
            self.init(relativePath: skip.relativePath, skipReason: skip.reason.description)
        }
    }
}
