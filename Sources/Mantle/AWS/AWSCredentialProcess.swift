import Dispatch
import Foundation
import Synchronization

/// A profile's `credential_process`: the command runs without a shell (split as botocore splits
/// it, POSIX quoting), and prints `{"Version": 1, "AccessKeyId", "SecretAccessKey",
/// "SessionToken", "Expiration"}`.
///
/// It is started and waited for on a Dispatch thread (waitpid blocks), never on Swift's pool, and
/// stopped after `timeout`. Its standard error is not quoted in errors: it may hold a secret.
enum AWSCredentialProcess {
    static let timeout: Duration = .seconds(60)

    struct Answer: Sendable {
        var credentials: AWSCredentials
        var expiration: Date?
    }

    private struct Output: Decodable {
        var Version: Int?
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var SessionToken: String?
        var Expiration: String?
    }

    static func run(_ command: String, environment: [String: String], profile: String) async throws(MantleError) -> Answer {
        let source = "credential_process of profile '\(profile)'"
        guard let arguments = split(command), let executable = arguments.first else {
            throw .credential("\(source) is not a command line (unbalanced quotes?)")
        }
        let result: Result<Data, MantleError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(
                    returning: runNow(
                        executable: executable, arguments: Array(arguments.dropFirst()), environment: environment, source: source))
            }
        }
        let data = try result.get()
        guard let output = try? JSONDecoder().decode(Output.self, from: data) else {
            throw .credential("\(source) printed something other than credentials JSON; run it by hand to see")
        }
        guard output.Version == 1 else {
            throw .credential("\(source) printed Version \(output.Version.map(String.init) ?? "none"); it must be 1")
        }
        guard let id = output.AccessKeyId, !id.isEmpty, let secret = output.SecretAccessKey, !secret.isEmpty else {
            throw .credential("\(source) printed no AccessKeyId and SecretAccessKey")
        }
        return Answer(
            credentials: AWSCredentials(
                accessKeyID: id, secretAccessKey: MantleSecret(secret),
                sessionToken: output.SessionToken.flatMap { $0.isEmpty ? nil : MantleSecret($0) }),
            expiration: output.Expiration.flatMap(AWSTime.parse))
    }

    private static func runNow(
        executable: String, arguments: [String], environment: [String: String], source: String
    ) -> Result<Data, MantleError> {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            // PATH lookup as the shell would do it, through env(1), without a shell.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(.credential("\(source): cannot start \(executable): \(error.localizedDescription)"))
        }
        let timedOut = TimeoutFlag()
        let stopper = DispatchWorkItem {
            timedOut.value.withLock { $0 = true }
            process.terminate()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(timeout.components.seconds)), execute: stopper)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        stopper.cancel()
        if timedOut.value.withLock({ $0 }) {
            return .failure(.credentialUnavailable("\(source) did not finish within \(timeout.formattedSeconds)"))
        }
        guard process.terminationStatus == 0 else {
            return .failure(.credential("\(source) exited with status \(process.terminationStatus); run it by hand to see why"))
        }
        return .success(data)
    }

    /// POSIX-shell word splitting without expansion: quotes group, a backslash escapes outside
    /// single quotes. nil for an unbalanced quote.
    static func split(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch (quote, character) {
            case (nil, "\\"), ("\"", "\\"):
                escaped = true
                inWord = true
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case (let open?, let close) where open == close:
                quote = nil
            case (nil, let space) where space == " " || space == "\t" || space.isNewline:
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil, !escaped else { return nil }
        if inWord { words.append(current) }
        return words
    }
}

/// Set by the timer that stops a `credential_process` that runs too long.
private final class TimeoutFlag: Sendable {
    let value = Mutex(false)
}
