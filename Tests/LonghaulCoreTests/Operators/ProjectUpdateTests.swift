import Foundation
import LonghaulCore
import TestSupport
import Testing

@Suite("Project updates")
struct ProjectUpdateTests {
    @Test("given fields change, others stay; budgets and references can be cleared; tags are replaced")
    func update() async throws {
        try await StoreFixture.with("proj_update") { fixture in
            let created = try await fixture.projects.create(NewProject(
                slug: "team-a", credentialReference: "env:TEAM_A_KEY", maxInFlight: 10, tokensPerMinute: 5000, maxAttempts: 4,
                tags: ["team": "search"]))

            let changed = try await fixture.projects.update(
                slug: "team-a", ProjectUpdate(defaultModel: "openai.gpt-oss-20b", maxInFlight: 20, mantleProjectID: "proj_abc123"))
            #expect(changed.defaultModel == "openai.gpt-oss-20b" && changed.maxInFlight == 20 && changed.mantleProjectID == "proj_abc123")
            #expect(changed.tokensPerMinute == 5000 && changed.maxAttempts == 4 && changed.credentialReference == "env:TEAM_A_KEY")
            #expect(changed.tags == ["team": "search"] && changed.id == created.id)

            let cleared = try await fixture.projects.update(
                slug: "team-a", ProjectUpdate(clearTokensPerMinute: true, maxAttempts: 7, credentialReference: "", tags: ["cost": "42"]))
            #expect(cleared.tokensPerMinute == nil && cleared.credentialReference == nil && cleared.maxAttempts == 7)
            #expect(cleared.tags == ["cost": "42"] && cleared.mantleProjectID == "proj_abc123")
            #expect(try await fixture.projects.get(slug: "team-a") == cleared)

            let unchanged = try await fixture.projects.update(slug: "team-a", ProjectUpdate())
            #expect(unchanged == cleared)
            await #expect(throws: StoreError.notFound("project 'nope'")) { try await fixture.projects.update(slug: "nope", ProjectUpdate()) }
        }
    }

    static let invalid: [(ProjectUpdate, String)] = [
        (ProjectUpdate(maxInFlight: 0), "max_in_flight"),
        (ProjectUpdate(tokensPerMinute: -5), "tokens_per_minute"),
        (ProjectUpdate(tokensPerMinute: 100, clearTokensPerMinute: true), "tokens_per_minute"),
        (ProjectUpdate(maxAttempts: 0), "max_attempts"),
        (ProjectUpdate(maxAttempts: 101), "max_attempts"),
        (ProjectUpdate(defaultModel: " "), "default_model"),
        (ProjectUpdate(credentialReference: "sk-live-123"), "credential_ref"),
        (ProjectUpdate(credentialReference: "env:"), "credential_ref"),
        (ProjectUpdate(mantleProjectID: "proj 1; drop"), "mantle_project_id"),
        (ProjectUpdate(tags: ["": "x"]), "tags"),
    ]

    @Test("invalid changes are refused with the field named, as create refuses them", arguments: invalid)
    func validation(change: ProjectUpdate, field: String) async throws {
        try await StoreFixture.with("proj_invalid") { fixture in
            let before = try await fixture.project("team-a")
            do {
                _ = try await fixture.projects.update(slug: "team-a", change)
                Issue.record("\(change) was accepted")
            } catch StoreError.invalid(let refused, let message) {
                #expect(refused == field)
                #expect(!message.contains("sk-live-123"), "the message echoes what may be a secret")
            }
            #expect(try await fixture.projects.get(slug: "team-a") == before)
        }
    }

    @Test("create applies the same rules")
    func createValidation() async throws {
        // `throws` spelled out: every `try` below is inside a macro or a nested closure, where the
        // closure's own inference does not look.
        try await StoreFixture.with("proj_create_invalid") { fixture throws in
            await #expect(throws: StoreError.invalid(field: "max_attempts", message: "max_attempts must be between 1 and 100")) {
                try await fixture.projects.create(NewProject(slug: "a", maxAttempts: 500))
            }
            await #expect(throws: StoreError.self) { try await fixture.projects.create(NewProject(slug: "b", credentialReference: "hunter2")) }
            #expect(try await fixture.projects.list().isEmpty)
        }
    }
}
