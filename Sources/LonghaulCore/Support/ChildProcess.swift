public import Foundation

#if canImport(Glibc)
import CSpawn
import Glibc
#endif

/// A program started with `posix_spawn` that inherits three descriptors and no more: standard
/// input from `/dev/null`, and the output and error it is given.
///
/// Nothing else of ours passes to it, or to a daemon it starts (`pg_ctl start`): not our database
/// and HTTP sockets, and not the socket by which Foundation's `Process` learns that some other
/// child ended — that socket is seen to close only when every copy closes, so a long-lived
/// program holding a copy hides the other child's exit until it ends itself (a test saw a CLI run
/// "still running" three minutes after it had exited). Its exit is read with `waitpid`, never
/// through such a descriptor.
public struct ChildProcess: Sendable {
    public let pid: Int32

    /// How a child ended.
    public struct Exit: Sendable, Equatable {
        /// The exit code, or 128 + the signal that ended it (as a shell reports it).
        public var code: Int32
        /// The signal that ended it, if one did.
        public var signal: Int32?
    }

    /// Starts `executable` with `arguments` and exactly `environment`, writing to the
    /// descriptors given (which the caller still owns and closes).
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        standardOutput: Int32, standardError: Int32
    ) throws(ProcessFailure) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, standardError, 2)
        #if canImport(Glibc)
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        #endif

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw ProcessFailure(
                command: URL(fileURLWithPath: executable).lastPathComponent,
                reason: "could not start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    /// How it ended, or nil while it runs. An ended child is reaped by the answer, so keep the
    /// first one: asking again after it is not possible.
    public func exitIfEnded() -> Exit? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return Self.exit(status) }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            return Exit(code: -1, signal: nil)  // ECHILD: reaped already; nothing is left to learn
        }
    }

    /// Waits for it to end (blocking: call through ``runBlocking(_:)``).
    public func waitForExit() -> Exit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return Exit(code: -1, signal: nil) }
        }
        return Self.exit(status)
    }

    private static func exit(_ status: Int32) -> Exit {
        let signal = status & 0x7F
        return signal == 0 ? Exit(code: (status >> 8) & 0xFF, signal: nil) : Exit(code: 128 + signal, signal: signal)
    }
}
