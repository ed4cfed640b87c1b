import ArgumentParser
import Foundation
import LonghaulCore

/// `longhaul tokens create|list|revoke`: API tokens for the REST API.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Manage API tokens: a project's token sees only that project; an admin token sees all.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print its secret (shown this once only).")
        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "The project the token is for.")
        var project: String?
        @Flag(name: .long, help: "An admin token: every project, every route.")
        var admin = false
        @Flag(name: .long, help: "A read-only token: it may read (API GETs, the dashboard) but not act; writes are a 403.")
        var readOnly = false
        @Option(name: .long, help: "A label saying who or what uses the token.")
        var name = ""
        @Flag(name: .long, help: "Print the token and its secret as JSON.")
        var json = false

        func validate() throws {
            guard (project != nil) != admin else { throw ArgumentParser.ValidationError("give --project NAME or --admin (exactly one)") }
        }

        /// What `--json` prints: the token's fields and, this once, its secret.
        struct Output: Encodable {
            var token: APIToken
            var secret: String
        }

        func run() async throws {
            try await withOperatorSession(options) { session in
                let owner = try await projectID(project, in: session)
                let issued = try await TokenStore(pool: session.pool).create(name: name, projectID: owner, readOnly: readOnly)
                if json { return try printJSON(Output(token: issued.token, secret: issued.secret)) }
                print(
                    TextTable.fields([
                        ("token", issued.token.publicID), ("name", Cell.text(issued.token.name)),
                        ("project", issued.token.project ?? "(admin: every project)"), ("read-only", issued.token.readOnly ? "yes" : "no"),
                        ("secret", issued.secret),
                    ]))
                print("This secret will not be shown again: store it now (revoke with `longhaul tokens revoke \(issued.token.publicID)`).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens, newest first (never their secrets).")
        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "Only this project's tokens (default: every token, admin ones too).")
        var project: String?
        @Flag(name: .long, help: "Print a JSON array.")
        var json = false

        func run() async throws {
            try await withOperatorSession(options) { session in
                let tokens = try await TokenStore(pool: session.pool).list(projectID: try await projectID(project, in: session))
                if json { return try printJSON(tokens) }
                var table = TextTable("TOKEN", "NAME", "PROJECT", "CREATED", "LAST_USED", "STATUS")
                for token in tokens {
                    table.append(
                        token.publicID, Cell.text(token.name), token.project ?? "(admin)", Cell.date(token.createdAt),
                        Cell.date(token.lastUsedAt),
                        token.revokedAt.map { "revoked \(Cell.date($0))" } ?? (token.readOnly ? "active, read-only" : "active"))
                }
                print(table.render())
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: requests with it fail from now on.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The token id (tok_…).") var token: String
        @Flag(name: .long, help: "Print the token as JSON.")
        var json = false

        func run() async throws {
            try await withOperatorSession(options) { session in
                let revoked = try await TokenStore(pool: session.pool).revoke(publicID: token, projectID: nil)
                if json { return try printJSON(revoked) }
                print("revoked \(revoked.publicID)\(revoked.name.isEmpty ? "" : " (\(revoked.name))") at \(Cell.date(revoked.revokedAt))")
            }
        }
    }
}
