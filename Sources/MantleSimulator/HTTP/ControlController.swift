import HTTPTypes
import Foundation
import Hummingbird

/// The simulator's own endpoints for tests: `GET /_simulator/counters`, `POST /_simulator/config`
/// (a partial configuration laid over the current one), `POST /_simulator/reset`. No auth.
struct ControlController {
    typealias Context = SimulatorRequestContext
    let engine: SimulatorEngine

    func addRoutes(to router: Router<Context>) {
        router.get("_simulator/counters") { _, _ -> Response in .json(engine.counters()) }
        router.get("_simulator/config") { _, _ -> Response in .json(engine.configuration.redacted) }
        router.post("_simulator/config") { request, context -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: context.maxUploadSize)
            do {
                let patch = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
                let updated = try engine.configuration.applying(patch)
                if let problem = updated.validationProblem() {
                    return MantleErrorBody.invalidRequest("Invalid simulator configuration: \(problem).").response
                }
                engine.replaceConfiguration(updated)
                return .json(updated.redacted)
            } catch let error as DecodingError {
                return MantleErrorBody.deserialization(error.mantleDetail).response
            }
        }
        router.post("_simulator/reset") { _, _ -> Response in
            engine.reset()
            return .json(["reset": true])
        }
    }
}

extension MantleSimulatorConfiguration {
    /// The configuration with `patch` laid over it (objects merge key by key).
    func applying(_ patch: JSONValue) throws -> MantleSimulatorConfiguration {
        let current = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(self))
        let merged = try JSONEncoder().encode(current.merging(patch))
        var updated = try JSONDecoder().decode(MantleSimulatorConfiguration.self, from: merged)
        // JSONValue holds numbers as Double; keep a seed above 2^53 exact unless the patch sets one.
        if patch["seed"] == nil { updated.seed = seed }
        return updated
    }

    /// The configuration as it may be shown: accepted keys replaced by a marker.
    var redacted: MantleSimulatorConfiguration {
        var copy = self
        copy.apiKeys = apiKeys.map { _ in "<redacted>" }
        copy.awsCredentials = awsCredentials.mapValues { _ in "<redacted>" }
        return copy
    }
}
