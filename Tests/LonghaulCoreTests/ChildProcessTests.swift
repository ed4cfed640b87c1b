import Foundation
import Glibc
import LonghaulCore
import Testing

@Suite("A child process inherits only its three descriptors, and its exit is read with waitpid")
struct ChildProcessTests {
    @Test("a descriptor of ours that is not close-on-exec does not pass to the child")
    func noDescriptorLeaks() async throws {
        // A pipe whose write end stays open in every process that holds it: if the child held a
        // copy, the read below would wait for the child (a 30-second sleep) instead of ending now.
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        let sleeper = try ChildProcess.spawn("/bin/sleep", ["30"], standardOutput: 2, standardError: 2)
        defer { kill(sleeper.pid, SIGKILL) }
        close(ends[1])
        let readEnd = ends[0]
        let started = ContinuousClock.now
        let read = try await runBlocking { () -> Int in
            var byte: UInt8 = 0
            defer { close(readEnd) }
            return Glibc.read(readEnd, &byte, 1)
        }
        #expect(read == 0 && ContinuousClock.now - started < .seconds(10), "the child kept the pipe open")
        #expect(sleeper.exitIfEnded() == nil)
    }

    @Test("the exit code, and a signal as 128 + its number")
    func exitStatus() async throws {
        let exited = try ChildProcess.spawn("/bin/sh", ["-c", "exit 3"], standardOutput: 2, standardError: 2)
        let exit = try await runBlocking { exited.waitForExit() }
        #expect(exit.code == 3 && exit.signal == nil)

        let killed = try ChildProcess.spawn("/bin/sleep", ["30"], standardOutput: 2, standardError: 2)
        #expect(killed.exitIfEnded() == nil)
        kill(killed.pid, SIGKILL)
        var killedExit: ChildProcess.Exit?
        let deadline = ContinuousClock.now + .seconds(10)
        while killedExit == nil && ContinuousClock.now < deadline {
            killedExit = killed.exitIfEnded()
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(killedExit?.code == 128 + SIGKILL && killedExit?.signal == SIGKILL)
    }

    @Test("a program that cannot start is named in the error")
    func missingProgram() throws {
        #expect {
            try ChildProcess.spawn("/nonexistent/tool", [], standardOutput: 2, standardError: 2)
        } throws: { error in
            "\(error)".contains("could not start /nonexistent/tool")
        }
    }
}
