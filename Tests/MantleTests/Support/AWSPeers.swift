import Dispatch
import Foundation
import HTTPClient
import Synchronization

/// The real AWS peers of the credential tests, from `Interop/aws_peers.py`: moto's server (STS,
/// SSM, Secrets Manager) and a metadata server playing IMDSv2 and the container endpoint, both
/// on loopback. They stop when the scope ends (the script exits when its standard input closes).
struct AWSPeers: Sendable {
    /// moto's base URL: `AWS_ENDPOINT_URL` for every AWS service.
    let moto: String
    /// The metadata server's base URL (IMDS at its root, containers at `/container/credentials`).
    let metadata: String
    let http: HTTPClient

    /// Starts the peers, runs `body`, stops them.
    static func with<T: Sendable>(_ body: (AWSPeers) async throws -> T) async throws -> T {
        let python = try PythonInterop.interpreter()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PythonInterop.script("aws_peers.py")]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line: String = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes = Data()
                while let byte = try? output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
                    bytes.append(byte)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        let http = HTTPClient()
        func stop() async {
            try? input.fileHandleForWriting.close()
            await http.shutdown()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
        }
        guard let urls = try? JSONDecoder().decode([String: String].self, from: Data(line.utf8)), let moto = urls["moto"],
            let metadata = urls["metadata"]
        else {
            process.terminate()
            await stop()
            throw PythonInterop.Failure(
                description: "aws_peers.py did not start (it printed '\(line)'); is moto installed? run scripts/setup --test")
        }
        let peers = AWSPeers(moto: moto, metadata: metadata, http: http)
        do {
            let result = try await body(peers)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    /// Steers the metadata server: `fail`, `lifetime`, `generation`, `container_token`.
    func control(_ change: [String: any Sendable]) async throws {
        let body = try JSONSerialization.data(withJSONObject: change)
        _ = try await http.send(
            HTTPRequest(method: .post, url: metadata + "/control", headers: ["Content-Type": "application/json"], body: body))
    }

    /// The metadata server's request counts (`token`, `roles`, `credentials`, `container`, `refused`).
    func counts() async throws -> [String: Int] {
        let response = try await http.send(HTTPRequest(url: metadata + "/control"))
        return try JSONDecoder().decode([String: Int].self, from: response.body)
    }

    /// An environment that reaches only these peers: every AWS endpoint at moto, instance
    /// metadata here, no file of the real home directory, plus `extra`.
    func environment(home: URL, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "AWS_CONFIG_FILE": home.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("credentials").path,
            "AWS_ENDPOINT_URL": moto, "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
            // A distinct value per environment keeps each test's cache entries its own.
            "AWS_LONGHAUL_TEST_SCOPE": home.lastPathComponent,
        ].merging(extra) { $1 }
    }
}

extension AWSPeers {
    /// One call the SSO portal or OIDC stand-in received.
    struct SSOCall: Decodable, Equatable, Sendable {
        var path: String
        var query: [String: String]
        var token: String?
        var body: [String: String]?
    }

    /// The SSO calls received since the last look (the record is cleared).
    func ssoCalls() async throws -> [SSOCall] {
        let response = try await http.send(HTTPRequest(url: metadata + "/control/sso"))
        return try JSONDecoder().decode([SSOCall].self, from: response.body)
    }
}
