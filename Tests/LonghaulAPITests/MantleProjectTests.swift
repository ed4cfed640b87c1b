import Foundation
import HTTPClient
import HTTPTypes
import HummingbirdTesting
import Logging
import LonghaulAPI
import LonghaulCore
import MantleSimulator
import Postgres
import TestSupport
import Testing

@Suite("API create_mantle_project")
struct MantleProjectTests {
    @Test("creating a project can create its Mantle project too and store the proj_ id")
    func provisioned() async throws {
        let simulator = try await MantleSimulator.start(configuration: .init(speed: 1000), port: 0)
        let http = HTTPClient(logger: Logger(label: "provision-test"))
        do {
            let endpoint = try DefaultEndpoint.simulator(baseURL: simulator.baseURL.absoluteString)
            try await APIHarness.run(provisioning: { pool in
                let provisioner = MantleProjectProvisioner(projects: ProjectStore(pool: pool), http: http, logger: Logger(label: "provision"))
                return { project in try await provisioner.provision(project, using: endpoint) }
            }) { api in
                let created = try await api.send(.post, "/v1/projects", object: ["slug": "delta", "create_mantle_project": true, "tags": ["team": "ml"]])
                #expect(created.status == .created, "\(created.text)")
                let mantleID = try #require(created.json["mantle_project_id"] as? String)
                #expect(mantleID.hasPrefix("proj_"))
                #expect(try await api.send(.get, "/v1/projects/delta").json["mantle_project_id"] as? String == mantleID)
            }
        } catch {
            await http.shutdown()
            await simulator.shutdown()
            throw error
        }
        await http.shutdown()
        await simulator.shutdown()
    }

    @Test("without a Mantle endpoint, create_mantle_project is refused before anything is created")
    func notConfigured() async throws {
        try await APIHarness.run { api in
            let response = try await api.send(.post, "/v1/projects", object: ["slug": "epsilon", "create_mantle_project": true])
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "mantle_not_configured")
            #expect(response.errorParam == "create_mantle_project")
            #expect(try await api.send(.get, "/v1/projects/epsilon").status == .notFound)
        }
    }
}
