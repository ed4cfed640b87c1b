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

    /// How following a batch ended.
    enum FollowEnd: Sendable, Equatable {
        /// Every job is terminal.
        case finished
        /// The task was cancelled (Ctrl-C).
        case cancelled
        /// The project was held (paused, endpoint unavailable) for the give-up time while no
        /// document finished.
        case gaveUp(ProjectHold, after: Duration)
    }

    /// Shows progress until every job is terminal, the task is cancelled, or `watch` says the
    /// work cannot move. A project hold is said once when it starts and when it ends. How often
    /// the run's progress is read is `ProgressPacing`'s: a full read costs O(jobs).
    func follow(
        jobIDs: [Int64], batch: (id: Int64, store: BatchStore), store: JobStore, project: Project, projects: ProjectStore,
        watch: GiveUpWatch
    ) async -> FollowEnd {
        guard !jobIDs.isEmpty else { return .finished }
        var watch = watch
        var pacing = ProgressPacing()
        var progress: BatchProgress?
        var lastPrinted = ContinuousClock.now - .seconds(60)
        var lastHoldCheck = ContinuousClock.now - .seconds(60)
        var hold: ProjectHold?
        let interval: Duration = mode == .terminal ? .milliseconds(250) : mode == .json ? .seconds(2) : .seconds(5)
        defer { if mode == .terminal { FileHandle.standardError.write(Data("\n".utf8)) } }
        while !Task.isCancelled {
            let start = ContinuousClock.now
            var due = pacing.isFullReadDue(at: start, batchPending: nil)
            if !due, let pending = try? await batch.store.pendingJobs(batchID: batch.id) {
                due = pacing.isFullReadDue(at: start, batchPending: pending)
            }
            if due {
                let read: BatchProgress
                do {
                    read = try await store.progress(jobIDs: jobIDs)
                } catch {
                    note("could not read progress (will try again): \(error)")
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                pacing.fullReadTook(ContinuousClock.now - start, startedAt: start)
                progress = read
                let finished = read.done >= jobIDs.count
                if finished || ContinuousClock.now - lastPrinted >= interval {
                    show(read, total: jobIDs.count)
                    lastPrinted = ContinuousClock.now
                }
                if finished { return .finished }
            }
            if ContinuousClock.now - lastHoldCheck >= .seconds(1), let current = try? await projects.get(id: project.id) {
                lastHoldCheck = ContinuousClock.now
                if current.hold?.kind != hold?.kind {
                    if mode == .terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                    note(current.hold.map { $0.message(project: project.slug) } ?? "project \(project.slug) runs again")
                }
                hold = current.hold
                if let done = progress?.done, watch.shouldGiveUp(hold: hold, done: done, now: ContinuousClock.now), let hold,
                   let limit = watch.limit
                {
                    return .gaveUp(hold, after: limit)
                }
            }
            try? await Task.sleep(for: ProgressPacing.tick)
        }
        return .cancelled
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
    func finish(outputs: BatchOutputs, end: FollowEnd, project: String, command: String) {
        let elapsed = ContinuousClock.now - started
        let interrupted = end == .cancelled
        if mode == .json {
            var event: [String: Any] = [
                "event": end.eventName, "out": outputs.out.path,
                "manifest": outputs.manifestURL.path, "counts": outputs.countsByState,
                "input_tokens": outputs.inputTokens, "output_tokens": outputs.outputTokens,
                "elapsed_seconds": Int(elapsed.components.seconds),
                "not_completed": outputs.notCompleted.map(\.relativePath),
            ]
            if case .gaveUp(let hold, _) = end {
                event["held"] = ["kind": hold.kind.rawValue, "code": hold.code, "reason": hold.reason, "message": hold.message(project: project)]
            }
            emit(event)
            return
        }
        print(outputs.table())
        let counts = outputs.countsByState.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print(
            "\(outputs.rows.count) files: \(counts) · \(outputs.inputTokens) tokens in, \(outputs.outputTokens) out · "
                + Self.clock(elapsed))
        print("Summaries in \(outputs.out.path)/ (manifest.jsonl lists every file)")
        if case .gaveUp(let hold, let limit) = end {
            print(
                """
                Gave up waiting after \(Self.clock(limit)) in which nothing could move — \(hold.message(project: project)).
                Nothing is lost and nothing was failed: the \(outputs.notCompleted.count) documents not summarised stay queued in their \
                place. `longhaul work` runs them once the project answers (`longhaul projects show \(project)` says where it \
                stands), or run the same command again:
                  \(command)
                """)
        } else if interrupted {
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

extension BatchReporter.FollowEnd {
    var eventName: String {
        switch self {
        case .finished: "finished"
        case .cancelled: "interrupted"
        case .gaveUp: "gave_up"
        }
    }
}
