import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

@testable import MantleSimulator

@Suite struct AuthAndProjectsTests {
    @Test func bearerKeysAreChecked() async throws {
        var configuration = SimulatorHarness.fast
        configuration.apiKeys = ["good-key"]
        try await SimulatorHarness.run(configuration) { sim async throws in
            let missing = try await sim.get("/v1/models", key: nil)
            #expect(missing.status == .unauthorized)
            #expect(try JSON(missing)["error"]["code"].string == "invalid_api_key")
            let wrong = try await sim.get("/v1/models", key: "bad-key")
            #expect(wrong.status == .unauthorized)
            #expect(!String(buffer: wrong.body).contains("bad-key"), "a key never appears in an answer")
            #expect(try await sim.get("/v1/models", key: "good-key").status == .ok)
        }
    }

    @Test func anyNonEmptyKeyWhenNoneConfigured() async throws {
        try await SimulatorHarness.run { sim async throws in
            #expect(try await sim.get("/v1/models", key: "whatever").status == .ok)
            #expect(try await sim.get("/v1/models", key: "").status == .unauthorized)
        }
    }

    @Test func projectHeaderMustNameAProject() async throws {
        try await SimulatorHarness.run { sim async throws in
            #expect(try await sim.get("/v1/models", project: "default").status == .ok)
            let unknown = try await sim.get("/v1/models", project: "proj_nope")
            #expect(unknown.status == .unauthorized)
            #expect(try JSON(unknown)["error"]["code"].string == "invalid_project")
        }
    }

    @Test func projectsCreateListRetrieveModifyArchive() async throws {
        try await SimulatorHarness.run { sim async throws in
            let createdResponse = try await sim.post(
                "/v1/organization/projects",
                #"{"name":"Summaries-Prod","tags":{"Owner":"Team A","CostCenter":"42"},"data_retention":{"mode":"none"}}"#
            )
            #expect(createdResponse.status == .ok)
            let created = try JSON(createdResponse)
            let id = try #require(created["id"].string)
            #expect(id.hasPrefix("proj_"))
            #expect(created["object"].string == "organization.project")
            #expect(created["status"].string == "active")
            #expect(created["arn"].string == "arn:aws:bedrock-mantle:us-east-1:123456789012:project/\(id)")
            #expect(created["data_retention"]["mode"].string == "none")

            let list = try JSON(try await sim.get("/v1/organization/projects"))
            #expect(list["data"].array.compactMap { $0["id"].string } == ["default", id])

            #expect(try JSON(try await sim.get("/v1/organization/projects/\(id)"))["name"].string == "Summaries-Prod")
            #expect(try await sim.get("/v1/organization/projects/proj_missing").status == .notFound)

            let renamed = try JSON(try await sim.post("/v1/organization/projects/\(id)", #"{"name":"Summaries Prod"}"#))
            #expect(renamed["name"].string == "Summaries Prod")
            let tagged = try JSON(try await sim.post("/v1/organization/projects/\(id)", #"{"add_tags":{"Env":"prod"}}"#))
            #expect(tagged["tags"].keys == ["Owner", "CostCenter", "Env"])
            let untagged = try JSON(try await sim.post("/v1/organization/projects/\(id)", #"{"remove_tag_keys":["Owner"]}"#))
            #expect(untagged["tags"].keys == ["CostCenter", "Env"])

            // Responses under the project work until it is archived.
            _ = try await sim.create(project: id)
            let archived = try JSON(try await sim.post("/v1/organization/projects/\(id)/archive", "{}"))
            #expect(archived["status"].string == "archived")
            #expect(archived["archived_at"].int != nil)
            let refused = try await sim.post("/v1/responses", #"{"model":"openai.gpt-oss-120b","input":"hi"}"#, project: id)
            #expect(refused.status == .forbidden)
            #expect(try JSON(try await sim.get("/v1/organization/projects"))["data"].array.count == 1)
            #expect(try JSON(try await sim.get("/v1/organization/projects?include_archived=true"))["data"].array.count == 2)
        }
    }

    @Test(arguments: ["", "-leading", "two  spaces", String(repeating: "x", count: 65), "bad/char"])
    func invalidProjectNamesAreRefused(_ name: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/v1/organization/projects", "{\"name\":\"\(name)\"}")
            #expect(response.status == .badRequest)
            #expect(try JSON(response)["error"]["param"].string == "name")
        }
    }

    @Test func duplicateProjectNamesAreRefused() async throws {
        try await SimulatorHarness.run { sim async throws in
            #expect(try await sim.post("/v1/organization/projects", #"{"name":"twice"}"#).status == .ok)
            #expect(try await sim.post("/v1/organization/projects", #"{"name":"twice"}"#).status == .badRequest)
        }
    }
}
