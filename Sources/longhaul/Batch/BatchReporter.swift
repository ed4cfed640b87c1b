import Foundation
import LonghaulCore

/// How a batch run shows itself: on a terminal a live line with a bar; in a pipe or CI a plain
/// line every few seconds; with `--json` one JSON object per line on stdout.
struct BatchReporter: Sendable {
    enum Mode: Sendable { case terminal, plain, json }

    let mode: Mode
    let started = ContinuousClock.now

    init(json: Bool) {
        if json {
            mode = .json
        } else {
            mode = isatty(STDERR_FILENO) == 1 ? .terminal : .plain
        }
    }

    func note(_ message: String) {
        if mode == .json {
            emit(["event": "note", "message": message])
        } else {
            Console.note(message)
        }
    }

    func batchEnqueued(batch: String, jobs: Int, resumed: Int) {
        if mode == .json {
            emit(["event": "enqueued", "batch": batch, "jobs": jobs, "resumed": resumed])
        } else {
            let again = resumed > 0 ? " (\(resumed) from an earlier run: completed ones are not submitted again)" : ""
            Console.note("batch \(batch): \(jobs) documents enqueued\(again)")
        }
    }

    /// Shows progress until every job is terminal (or the task is cancelled).
    func follow(jobIDs: [Int64], store: JobStore) async {
        guard !jobIDs.isEmpty else { return }
        var lastPrinted = ContinuousClock.now - .seconds(60)
        let interval: Duration = mode == .terminal ? .milliseconds(250) : mode == .json ? .seconds(2) : .seconds(5)
        while !Task.isCancelled {
            let progress: BatchProgress
            do {
                progress = try await store.progress(jobIDs: jobIDs)
            } catch {
                note("could not read progress (will try again): \(error)")
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            let finished = progress.done >= jobIDs.count
            if finished || ContinuousClock.now - lastPrinted >= interval {
                show(progress, total: jobIDs.count)
                lastPrinted = ContinuousClock.now
            }
            if finished { break }
            try? await Task.sleep(for: .milliseconds(250))
        }
        if mode == .terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func show(_ progress: BatchProgress, total: Int) {
        let elapsed = ContinuousClock.now - started
        let done = progress.done
        var counts = JobState.allCases.compactMap { state in progress.counts[state].map { "\(state.rawValue) \($0)" } }.joined(
            separator: ", ")
        if progress.chunks > 0 { counts += " · chunks \(progress.chunksCompleted)/\(progress.chunks)" }
        switch mode {
        case .json:
            emit([
                "event": "progress", "done": done, "total": total,
                "counts": Dictionary(uniqueKeysWithValues: progress.counts.map { ($0.key.rawValue, $0.value) }),
                "input_tokens": progress.inputTokens, "output_tokens": progress.outputTokens,
                "chunks": progress.chunks, "chunks_completed": progress.chunksCompleted,
                "elapsed_seconds": Int(elapsed.components.seconds),
            ])
        case .plain:
            Console.note(
                "progress: \(done)/\(total) done (\(counts)) · tokens \(progress.inputTokens) in / \(progress.outputTokens) out · "
                    + "\(Self.clock(elapsed)) elapsed")
        case .terminal:
            let width = 24
            let filled = total == 0 ? width : width * done / total
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            var eta = ""
            if done > 0 && done < total {
                eta = " · ETA \(Self.clock(elapsed / Double(done) * Double(total - done)))"
            }
            let line =
                "\r\u{1B}[2K[\(bar)] \(done)/\(total) · \(counts) · \(Self.tokens(progress.inputTokens)) in / "
                + "\(Self.tokens(progress.outputTokens)) out · \(Self.clock(elapsed))\(eta)"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// The closing report: a table on stdout (or one JSON object), and where the outputs are.
    func finish(outputs: BatchOutputs, interrupted: Bool, command: String) {
        let elapsed = ContinuousClock.now - started
        if mode == .json {
            emit([
                "event": interrupted ? "interrupted" : "finished", "out": outputs.out.path,
                "manifest": outputs.manifestURL.path, "counts": outputs.countsByState,
                "input_tokens": outputs.inputTokens, "output_tokens": outputs.outputTokens,
                "elapsed_seconds": Int(elapsed.components.seconds),
                "not_completed": outputs.notCompleted.map(\.relativePath),
            ])
            return
        }
        print(outputs.table())
        let counts = outputs.countsByState.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print(
            "\(outputs.rows.count) files: \(counts) · \(outputs.inputTokens) tokens in, \(outputs.outputTokens) out · "
                + Self.clock(elapsed))
        print("Summaries in \(outputs.out.path)/ (manifest.jsonl lists every file)")
        if interrupted {
            print(
                """
                Stopped waiting; nothing is lost. Documents still in progress keep their place: run the same command again \
                to pick up where this left off (completed ones are not submitted again):
                  \(command)
                """)
        } else if !outputs.notCompleted.isEmpty {
            print("Not summarised:")
            for row in outputs.notCompleted { print("  \(row.relativePath): \(row.state) — \(row.detail)") }
        }
    }

    private func emit(_ object: [String: Any]) {
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        FileHandle.standardOutput.write(line)
    }

    static func clock(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        return seconds >= 3600
            ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    static func tokens(_ count: Int) -> String {
        count >= 10_000 ? String(format: "%.1fk", Double(count) / 1000) : String(count)
    }
}
