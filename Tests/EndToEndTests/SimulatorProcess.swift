import Foundation
import HTTPClient
import MantleSimulator
import TestSupport

/// A standalone `longhaul sim` on a loopback port the OS chose, for tests that point a `longhaul`
/// process at it through `OPENAI_BASE_URL` and then read what it counted.
struct SimulatorProcess {
    let process: LonghaulProcess
    /// `http://127.0.0.1:<port>`, as the simulator printed it.
    let url: String
    let http: HTTPClient

    /// Starts `longhaul sim --port 0 arguments…` and returns once it says where it listens.
    static func start(_ arguments: [String]) async throws -> SimulatorProcess {
        let process = try LonghaulProcess(["sim", "--host", "127.0.0.1", "--port", "0"] + arguments)
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline {
            // "mantle simulator listening on http://127.0.0.1:PORT (configuration…)"
            let output = process.standardOutput()
            if let start = output.range(of: "listening on ") {
                let address = output[start.upperBound...].prefix { !$0.isWhitespace }
                if !address.isEmpty { return SimulatorProcess(process: process, url: String(address), http: HTTPClient()) }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        await process.stop()
        throw LonghaulProcessError("longhaul sim did not say where it listens:\n\(process.log())")
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

    /// Stops the process (SIGKILL: it holds nothing worth a graceful stop) and the HTTP client.
    func stop() async {
        await process.stop()
        await http.shutdown()
    }
}
