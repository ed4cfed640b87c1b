import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("API tokens")
struct TokenStoreTests {
    @Test("a token's secret is shown once and stored only as its SHA-256")
    func secretNeverStoredInClear() async throws {
        try await StoreFixture.with("tok_secret") { fixture in
            let project = try await fixture.project("team-a")
            let issued = try await TokenStore(pool: fixture.pool).create(name: "ci", projectID: project.id)

            #expect(issued.secret.hasPrefix("lh_") && issued.secret.count == 46)
            #expect(issued.secret.dropFirst(3).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(issued.token.publicID.hasPrefix("tok_") && issued.token.project == "team-a" && issued.token.name == "ci")
            #expect(!issued.description.contains(issued.secret) && !"\(issued)".contains(issued.secret.dropFirst(3)))

            let row = try await fixture.pool.query("SELECT row_to_json(t)::text AS whole FROM api_tokens t")
            let stored: String = try #require(row.first).decode("whole")
            #expect(!stored.contains(issued.secret.dropFirst(3)))
            let matching = try await fixture.pool.query(
                "SELECT count(*)::bigint AS n FROM api_tokens WHERE token_sha256 = sha256(convert_to(\(issued.secret), 'UTF8'))")
            #expect(try matching.first?.decode("n", as: Int.self) == 1)
        }
    }

    @Test("authenticate answers the token's project, admin for an admin token, nil for anything else")
    func authenticate() async throws {
        try await StoreFixture.with("tok_auth") { fixture in
            let tokens = TokenStore(pool: fixture.pool)
            let project = try await fixture.project("team-a")
            let scoped = try await tokens.create(name: "", projectID: project.id)
            let admin = try await tokens.create(name: "ops", projectID: nil)

            #expect(try await tokens.authenticate(secret: scoped.secret) == .project(project))
            #expect(try await tokens.authenticate(secret: scoped.secret)?.projectID == project.id)
            #expect(try await tokens.authenticate(secret: admin.secret) == .admin)
            #expect(try await tokens.authenticate(secret: admin.secret)?.projectID == nil)
            // Same shape, other bytes; and malformed ones never reach the database.
            let other = "lh_" + String(repeating: "A", count: 43)
            #expect(try await tokens.authenticate(secret: other) == nil)
            for bad in ["", "lh_", admin.secret + "x", "Bearer " + admin.secret, String(admin.secret.dropFirst(3))] {
                #expect(try await tokens.authenticate(secret: bad) == nil)
            }
        }
    }

    @Test("last_used_at is written at most once a minute")
    func lastUsedIsCheap() async throws {
        try await StoreFixture.with("tok_touch") { fixture in
            let tokens = TokenStore(pool: fixture.pool)
            let issued = try await tokens.create(name: "", projectID: nil)
            #expect(try await tokens.list(projectID: nil)[0].lastUsedAt == nil)

            _ = try await tokens.authenticate(secret: issued.secret)
            let first = try #require(try await tokens.list(projectID: nil)[0].lastUsedAt)
            for _ in 0..<5 { _ = try await tokens.authenticate(secret: issued.secret) }
            #expect(try await tokens.list(projectID: nil)[0].lastUsedAt == first)
            // A row's writes show in its tuple version: no new version means no write.
            let version = try await fixture.strings("SELECT xmin::text FROM api_tokens")
            _ = try await tokens.authenticate(secret: issued.secret)
            #expect(try await fixture.strings("SELECT xmin::text FROM api_tokens") == version)

            try await fixture.pool.query("UPDATE api_tokens SET last_used_at = now() - interval '2 minutes'")
            _ = try await tokens.authenticate(secret: issued.secret)
            let touched = try #require(try await tokens.list(projectID: nil)[0].lastUsedAt)
            #expect(touched.timeIntervalSinceNow > -30)
        }
    }

    @Test("revoke stops a token, keeps the first revocation time, and sees only the caller's tokens")
    func revoke() async throws {
        try await StoreFixture.with("tok_revoke") { fixture in
            let tokens = TokenStore(pool: fixture.pool)
            let teamA = try await fixture.project("team-a")
            let teamB = try await fixture.project("team-b")
            let issued = try await tokens.create(name: "a", projectID: teamA.id)

            await #expect(throws: StoreError.notFound("token \(issued.token.publicID)")) {
                try await tokens.revoke(publicID: issued.token.publicID, projectID: teamB.id)
            }
            #expect(try await tokens.authenticate(secret: issued.secret) != nil)
            let revoked = try await tokens.revoke(publicID: issued.token.publicID, projectID: teamA.id)
            #expect(revoked.revokedAt != nil && !revoked.isActive)
            #expect(try await tokens.authenticate(secret: issued.secret) == nil)
            let again = try await tokens.revoke(publicID: issued.token.publicID, projectID: nil)
            #expect(again.revokedAt == revoked.revokedAt)
            await #expect(throws: StoreError.self) { try await tokens.revoke(publicID: "tok_nope", projectID: nil) }
        }
    }

    @Test("list is newest first and scoped to a project when asked; an unknown project is not found")
    func list() async throws {
        try await StoreFixture.with("tok_list") { fixture in
            let tokens = TokenStore(pool: fixture.pool)
            let teamA = try await fixture.project("team-a")
            let teamB = try await fixture.project("team-b")
            let first = try await tokens.create(name: "1", projectID: teamA.id)
            let second = try await tokens.create(name: "2", projectID: teamB.id)
            let third = try await tokens.create(name: "3", projectID: teamA.id)
            let admin = try await tokens.create(name: "4", projectID: nil)

            #expect(try await tokens.list(projectID: nil).map(\.publicID) == [admin, third, second, first].map(\.token.publicID))
            #expect(try await tokens.list(projectID: teamA.id).map(\.publicID) == [third, first].map(\.token.publicID))
            #expect(try await tokens.list(projectID: nil).first?.project == nil)
            await #expect(throws: StoreError.self) { try await tokens.create(name: "x", projectID: 999_999) }
            await #expect(throws: StoreError.self) { try await tokens.create(name: "two\nlines", projectID: nil) }
        }
    }
}
