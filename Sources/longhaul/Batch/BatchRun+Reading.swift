import ArgumentParser
import Foundation
import LonghaulCore

extension BatchRun {
    /// Readable documents handed on at a time: the unit of validation and of one enqueue
    /// transaction, and what bounds the texts held at once.
    static let chunkSize = 500

    /// Files read at once. A text file is a few system calls on the reader's queue, so many go
    /// at once: 4 at a time left the reads waiting on their hops to the queue and back (20,000
    /// small files took 3.3 s of wall time for 1.5 s of CPU). PDF and DOCX each run an external
    /// tool, so only a few of those.
    static let readsInFlight = 32
    static let toolReadsInFlight = 4

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
        try await withThrowingTaskGroup(of: (index: Int, usesTool: Bool, result: DocumentReadResult).self) { group in
            var next = 0, handedOn = 0, reading = 0, runningTools = 0
            func startReads() {
                while next < files.count && next - handedOn < readAhead && reading < Self.readsInFlight {
                    let index = next
                    let usesTool = DocumentFormat(fileName: files[index].relativePath).map { !$0.isTextFile } ?? false
                    if usesTool && runningTools == Self.toolReadsInFlight { return }
                    next += 1
                    reading += 1
                    if usesTool { runningTools += 1 }
                    group.addTask { (index, usesTool, await reader.read(files[index])) }
                }
            }
            startReads()
            while let (index, usesTool, result) = try await group.next() {
                reading -= 1
                if usesTool { runningTools -= 1 }
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
