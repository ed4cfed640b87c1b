import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command-line program the reader runs to open a container format (`pdftotext`, `unzip`).
///
/// The process is started with `Foundation.Process`; its output is read on dispatch threads (so a
/// large output never fills a pipe while we wait for the exit) and its end is reported by
/// `terminationHandler`, so no thread of Swift's cooperative pool ever blocks. A timeout, an
/// output cap and task cancellation each kill the process.
struct ExternalTool: Sendable {
    /// How a run ended.
    enum Outcome: Sendable {
        case exited(status: Int32, output: [UInt8], errorOutput: [UInt8])
        case missing
        case timedOut
        case outputTooLarge
        case cancelled
        case launchFailed(String)
    }

    /// The name used in messages (`pdftotext`).
    let name: String
    /// The Debian package that provides it, for the "not installed" message.
    let debianPackage: String
    /// A name looked up in `PATH`, or a path.
    let executable: String

    func run(arguments: [String], timeout: Duration, outputLimit: Int, queue: DispatchQueue) async -> Outcome {
        guard let executablePath = Self.locate(executable) else { return .missing }
        let monitor = ToolMonitor()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                monitor.start(continuation)
                queue.async {
                    Self.launch(executablePath, arguments, monitor: monitor, timeout: timeout, outputLimit: outputLimit, queue: queue)
                }
            }
        } onCancel: {
            monitor.terminate()
        }
    }

    /// Starts the process and its two readers; runs on `queue`.
    private static func launch(
        _ path: String, _ arguments: [String], monitor: ToolMonitor, timeout: Duration, outputLimit: Int, queue: DispatchQueue
    ) {
        guard let output = OwnedPipe(), let errorOutput = OwnedPipe() else {
            monitor.fail("cannot create a pipe: \(String(cString: strerror(errno)))")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(fileDescriptor: output.writeEnd, closeOnDealloc: false)
        process.standardError = FileHandle(fileDescriptor: errorOutput.writeEnd, closeOnDealloc: false)
        process.terminationHandler = { finished in monitor.exited(status: finished.terminationStatus) }
        do {
            try process.run()
        } catch {
            output.closeBoth()
            errorOutput.closeBoth()
            monitor.fail("\(error)")
            return
        }
        // Only the child may hold the write ends now, so the readers see end-of-file when it exits.
        output.closeWriteEnd()
        errorOutput.closeWriteEnd()
        monitor.launched(pid: process.processIdentifier)
        let readEnds = (output: output.readEnd, errorOutput: errorOutput.readEnd)
        queue.async { monitor.collectOutput(Self.drain(readEnds.output, limit: outputLimit, monitor: monitor)) }
        queue.async { monitor.collectErrorOutput(Self.drain(readEnds.errorOutput, limit: 64 * 1024, monitor: nil)) }
        // Capped at a year so that the conversion to nanoseconds cannot overflow.
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(max(0, min(seconds, 31_536_000))) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { monitor.timeUp() }
    }

    /// Reads a pipe to its end and closes it. Past `limit` bytes the rest is read and thrown away
    /// (the writer must not block on a full pipe), and `monitor` is told to kill the process.
    private static func drain(_ descriptor: Int32, limit: Int, monitor: ToolMonitor?) -> [UInt8] {
        defer { close(descriptor) }
        var collected: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { read(descriptor, $0, buffer.count) } ?? 0
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return collected }
            if collected.count + count <= limit {
                collected.append(contentsOf: chunk[..<count])
            } else if let monitor {
                monitor.outputOverflowed()
            }
        }
    }

    /// The absolute path of `executable`: itself if it contains a `/`, else the first match in
    /// `PATH`; `nil` when nothing executable is there.
    static func locate(_ executable: String) -> String? {
        if executable.contains("/") {
            return access(executable, X_OK) == 0 ? executable : nil
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(executable)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// A pipe whose ends are marked close-on-exec, so that other processes started at the same time
/// do not inherit them and keep our reads from ending (the child gets its end through `dup2`,
/// which clears the mark). Closed explicitly by its owner.
private struct OwnedPipe {
    let readEnd: Int32
    let writeEnd: Int32

    init?() {
        var descriptors: [Int32] = [-1, -1]
        // `pipe2` is not visible through Glibc's module map, hence `pipe` and `fcntl`.
        guard pipe(&descriptors) == 0 else { return nil }
        readEnd = descriptors[0]
        writeEnd = descriptors[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    }

    func closeWriteEnd() { close(writeEnd) }

    func closeBoth() {
        close(readEnd)
        close(writeEnd)
    }
}

/// The meeting point of a run's three events (exit, end of output, end of error output) and its
/// three ways to be stopped (timeout, output cap, cancellation). Resumes the caller exactly once,
/// when the process has exited and both pipes are drained.
private final class ToolMonitor: Sendable {
    private enum Stop { case timedOut, outputTooLarge }

    private struct State {
        var continuation: CheckedContinuation<ExternalTool.Outcome, Never>?
        var pid: pid_t?
        var exitStatus: Int32?
        var output: [UInt8]?
        var errorOutput: [UInt8]?
        var stop: Stop?
        var cancelled = false
        var failure: String?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<ExternalTool.Outcome, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func launched(pid: pid_t) {
        let killNow = state.withLock { state in
            state.pid = pid
            return state.cancelled
        }
        if killNow { terminate() }
    }

    func fail(_ message: String) {
        state.withLock { state in
            state.failure = message
            state.exitStatus = -1
            state.output = []
            state.errorOutput = []
        }
        finishIfDone()
    }

    func exited(status: Int32) {
        state.withLock { $0.exitStatus = status }
        finishIfDone()
    }

    func collectOutput(_ bytes: [UInt8]) {
        state.withLock { $0.output = bytes }
        finishIfDone()
    }

    func collectErrorOutput(_ bytes: [UInt8]) {
        state.withLock { $0.errorOutput = bytes }
        finishIfDone()
    }

    func timeUp() { stop(.timedOut) }

    func outputOverflowed() { stop(.outputTooLarge) }

    /// Kills the process for a cancelled task (or marks it to be killed once it has a pid).
    func terminate() {
        let pid = state.withLock { state -> pid_t? in
            state.cancelled = true
            return state.exitStatus == nil ? state.pid : nil
        }
        if let pid { _ = kill(pid, SIGKILL) }
    }

    private func stop(_ reason: Stop) {
        let pid = state.withLock { state -> pid_t? in
            guard state.exitStatus == nil, state.stop == nil else { return nil }
            state.stop = reason
            return state.pid
        }
        // The pid is only signalled while no exit has been seen. `terminationHandler` runs after
        // the child is reaped, so in a window of microseconds the pid could be reused; the
        // timeout and the cap fire long after such a window in practice.
        if let pid { _ = kill(pid, SIGKILL) }
    }

    private func finishIfDone() {
        let resume = state.withLock { state -> (CheckedContinuation<ExternalTool.Outcome, Never>, ExternalTool.Outcome)? in
            guard let continuation = state.continuation, let status = state.exitStatus,
                let output = state.output, let errorOutput = state.errorOutput
            else { return nil }
            state.continuation = nil
            let outcome: ExternalTool.Outcome =
                if let failure = state.failure { .launchFailed(failure) }
                else if state.stop == .timedOut { .timedOut }
                else if state.stop == .outputTooLarge { .outputTooLarge }
                else if state.cancelled { .cancelled }
                else { .exited(status: status, output: output, errorOutput: errorOutput) }
            return (continuation, outcome)
        }
        if let (continuation, outcome) = resume { continuation.resume(returning: outcome) }
    }
}
