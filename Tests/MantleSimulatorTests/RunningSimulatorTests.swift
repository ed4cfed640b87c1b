import Foundation
import Testing

import MantleSimulator

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct RunningSimulatorTests {
    @Test func startsOnAnOSAssignedPortAndShutsDownWithARequestHanging() async throws {
        var configuration = MantleSimulatorConfiguration(speed: 1000)
        configuration.createFaults.hang = 1
        configuration.hangSeconds = 600
        let running = try await MantleSimulator.start(configuration: configuration, port: 0)
        #expect(running.port > 0)
        #expect(running.baseURL.absoluteString == "http://127.0.0.1:\(running.port)")

        let (data, response) = try await URLSession.shared.data(from: running.baseURL.appendingPathComponent("_simulator/counters"))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONDecoder().decode(MantleSimulatorCounters.self, from: data) == MantleSimulatorCounters())

        var request = URLRequest(url: running.baseURL.appendingPathComponent("v1/responses"))
        request.httpMethod = "POST"
        request.setValue("Bearer k", forHTTPHeaderField: "Authorization")
        request.httpBody = Data(#"{"model":"openai.gpt-oss-120b","input":"hi"}"#.utf8)
        request.timeoutInterval = 60
        let hung = Task { try? await URLSession.shared.data(for: request) }
        let deadline = ContinuousClock.now + .seconds(10)
        while running.counters().faultsByKind[.hang] != 1, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(running.counters().faultsByKind[.hang] == 1)

        let start = ContinuousClock.now
        await running.shutdown()
        // About a second on a quiet machine; far from the 600 s the hung request would hold it.
        #expect(ContinuousClock.now - start < .seconds(60), "shutdown must not wait for hung requests")
        // The shutdown closed the hung connection, so the request fails by itself (or times out at
        // 60 s). Not cancelled: on Linux, cancelling URLSession's async `data(for:)` while it is
        // failing deadlocks inside FoundationNetworking (the task's status lock against the
        // session's queue), which once hung the whole suite.
        _ = await hung.value
    }

    @Test func startRefusesAnUnusableConfiguration() async throws {
        await #expect(throws: MantleSimulatorStartError.self) {
            _ = try await MantleSimulator.start(configuration: .init(speed: 0))
        }
    }

    @Test func startReportsAPortInUse() async throws {
        let first = try await MantleSimulator.start(port: 0)
        await #expect(throws: MantleSimulatorStartError.self) {
            let second = try await MantleSimulator.start(port: first.port)
            await second.shutdown()
        }
        await first.shutdown()
    }

    @Test func configurationDecodesWithDefaultsForMissingKeys() throws {
        let json = #"{"speed": 50, "createFaults": {"tooManyRequests": 0.1}, "tokensPerMinute": 5000}"#
        let configuration = try JSONDecoder().decode(MantleSimulatorConfiguration.self, from: Data(json.utf8))
        #expect(configuration.speed == 50)
        #expect(configuration.createFaults == FaultRates(tooManyRequests: 0.1))
        #expect(configuration.retrieveFaults == .none)
        #expect(configuration.tokensPerMinute == 5000)
        #expect(configuration.minimumDurationSeconds == 2)
        #expect(!MantleSimulatorConfiguration(apiKeys: ["sekrit"]).description.contains("sekrit"))
    }
}
