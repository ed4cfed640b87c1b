public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a finished child process.
public struct ProcessOutput: Sendable {
    public var exitCode: Int32
    public var standardOutput: Data
    public var standardError: Data

    /// Standard error (or output) as text, trimmed, for error messages.
    public var diagnostics: String {
        let text = String(decoding: standardError.isEmpty ? standardOutput : standardError, as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A child process that failed to start or ran past its time.
public struct ProcessFailure: Error, Sendable, CustomStringConvertible {
    public var command: String
    public var reason: String
    public var description: String { "\(command): \(reason)" }
}

/// Runs external programs (pg_ctl, initdb, psql…) without blocking the cooperative pool.
///
/// It spawns a ``ChildProcess`` and waits with `waitpid` on a GCD thread rather than using
/// Foundation's `Process`, whose exit detection relies on a descriptor the child inherits: a
/// program that starts a daemon (`pg_ctl start`) passes that descriptor on, and its exit is
/// then never seen. Here the pipes are close-on-exec in the parent, output is drained while the
/// child runs (a full pipe cannot deadlock it), and a timeout kills what runs too long.
public enum ProcessRunner {
    public static func run(
        _ executable: String,
        _ arguments: [String],
        timeout: Duration = .seconds(120)
    ) async throws -> ProcessOutput {
        let name = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments.prefix(3)).joined(separator: " ")
        let child = try spawn(executable, arguments, name: name)

        async let output = runBlocking { readAll(child.stdout) }
        async let errors = runBlocking { readAll(child.stderr) }
        let status = await withTaskGroup(of: ChildProcess.Exit?.self) { group in
            group.addTask { try? await runBlocking { child.process.waitForExit() } }
            group.addTask {
                // The timeout: a kill the wait above then reports as SIGKILL.
                if (try? await Task.sleep(for: timeout)) != nil { kill(child.process.pid, SIGKILL) }
                return nil
            }
            var exit: ChildProcess.Exit?
            for await result in group where result != nil {
                exit = result
                group.cancelAll()
            }
            return exit ?? ChildProcess.Exit(code: 128 + SIGKILL, signal: SIGKILL)
        }
        let (out, err) = try await (output, errors)
        if status.signal == SIGKILL {
            throw ProcessFailure(command: name, reason: "ran longer than \(timeout) and was stopped")
        }
        return ProcessOutput(exitCode: status.code, standardOutput: out, standardError: err)
    }

    /// The first executable named `name` on PATH, or nil.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private struct Child {
        var process: ChildProcess
        var stdout: Int32
        var stderr: Int32
    }

    private static func spawn(_ executable: String, _ arguments: [String], name: String) throws -> Child {
        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        // pipe2(O_CLOEXEC) is not visible to Swift here; set the flag right after. (A program
        // spawned by another thread in between could inherit a descriptor: it would only delay
        // this read until that program exits.)
        guard pipe(&out) == 0, pipe(&err) == 0 else {
            throw ProcessFailure(command: name, reason: "could not create pipes: \(String(cString: strerror(errno)))")
        }
        for descriptor in out + err { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        defer {
            close(out[1])
            close(err[1])
        }
        do {
            let process = try ChildProcess.spawn(executable, arguments, standardOutput: out[1], standardError: err[1])
            return Child(process: process, stdout: out[0], stderr: err[0])
        } catch {
            close(out[0])
            close(err[0])
            throw ProcessFailure(command: name, reason: error.reason)  // named with its arguments, as every other failure here
        }
    }

    /// Reads a pipe to its end and closes it (blocking: call through `runBlocking`).
    private static func readAll(_ descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(descriptor)
        return data
    }
}
