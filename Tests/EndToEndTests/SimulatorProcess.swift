import Foundation
import HTTPClient
import MantleSimulator
import TestSupport

/// A standalone `longhaul sim` process on a port the OS chose, with its test-only endpoints:
/// counters to assert on and a configuration a test can change while workers run.
struct SimulatorProcess {
    let process: LonghaulProcess
    /// `http://127.0.0.1:<port>`, as the simulator printed it.
    let url: String
    let http: HTTPClient

    /// Runs `body` with `longhaul sim --port 0 arguments…`, once it prints where it listens; stops
    /// the process when `body` ends.
    static func with<T>(_ arguments: [String], _ body: (SimulatorProcess) async throws -> T) async throws -> T {
        try await LonghaulProcess.with(["sim", "--port", "0"] + arguments) { process in
            let url = try await process.waitForOutput { output -> String? in
                // "mantle simulator listening on http://127.0.0.1:PORT (configuration…)"
                guard let start = output.range(of: "listening on http://") else { return nil }
                let rest = output[start.lowerBound...].dropFirst("listening on ".count)
                // The line is written at once, but read the address only once it is whole.
                return rest.firstIndex(where: \.isWhitespace).map { String(rest[..<$0]) }
            }
            return try await withResource(SimulatorProcess(process: process, url: url, http: HTTPClient()), close: { await $0.http.shutdown() }, body)
        }
    }

    /// What `OPENAI_BASE_URL` should say, as the Bedrock docs write it.
    var baseURL: String { url + "/v1" }

    /// `GET /_simulator/counters`.
    func counters() async throws -> MantleSimulatorCounters {
        let response = try await http.send(HTTPRequest(url: url + "/_simulator/counters", timeout: .seconds(30)))
        guard response.status == 200 else {
            throw LonghaulProcessError("GET /_simulator/counters answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        return try JSONDecoder().decode(MantleSimulatorCounters.self, from: response.body)
    }

    /// `POST /_simulator/config` with a partial configuration (JSON) laid over the current one.
    func configure(_ patch: String) async throws {
        let response = try await http.send(HTTPRequest(
            method: .post, url: url + "/_simulator/config", headers: ["Content-Type": "application/json"], body: Data(patch.utf8),
            timeout: .seconds(30)))
        guard response.status == 200 else {
            throw LonghaulProcessError("POST /_simulator/config \(patch) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    /// Waits until at least `count` requests are being held unanswered (hang faults drawn; the
    /// simulator holds each for `--hang-seconds`).
    func waitForHungRequests(atLeast count: Int, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await counters().faultsByKind[.hang, default: 0] < count {
            guard ContinuousClock.now < deadline else {
                throw LonghaulProcessError("fewer than \(count) requests hung within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
