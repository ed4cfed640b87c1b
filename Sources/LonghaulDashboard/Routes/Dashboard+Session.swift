import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LonghaulCore
import NIOCore
import Postgres

extension Dashboard {
    /// Runs a page for the request's session; without one, the sign-in page. Refusals become pages.
    func page(_ request: Request, _ render: (DashboardSession) async throws -> Response) async throws -> Response {
        try await failuresAsPages {
            guard let session = try await session(of: request) else { return PageResponse.redirect(to: "/dashboard/sign-in") }
            return try await Self.refusalsAsPages(session: session) { try await render(session) }
        }
    }

    /// Runs a state-changing POST: a session, a form from this site carrying the session's CSRF
    /// token, and a token that may act — else a 403 page, and nothing done.
    func act(_ request: Request, _ perform: (DashboardSession, FormBody) async throws -> Response) async throws -> Response {
        try await failuresAsPages { try await checkedAct(request, perform) }
    }

    private func checkedAct(_ request: Request, _ perform: (DashboardSession, FormBody) async throws -> Response) async throws -> Response {
        guard let session = try await session(of: request) else { return PageResponse.redirect(to: "/dashboard/sign-in") }
        return try await Self.refusalsAsPages(session: session) {
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let form = FormBody(encoded: String(buffer: body))
            guard Self.isSameSite(request), let sent = form["_csrf"],
                CallerLookup.constantTimeEqual(Data(sent.utf8), Data(session.csrfToken.utf8))
            else { throw DashboardError.csrfRefused }
            // Signing out is the one action a read-only session may take.
            guard session.mayAct || request.uri.path == "/dashboard/sign-out" else { throw DashboardError.readOnly }
            return try await perform(session, form)
        }
    }

    func signIn(_ request: Request) async throws -> Response {
        try await failuresAsPages { try await openSession(request) }
    }

    private func openSession(_ request: Request) async throws -> Response {
        var request = request
        let form = FormBody(encoded: String(buffer: try await request.collectBody(upTo: 64 << 10)))
        guard Self.isSameSite(request) else { return PageResponse.html(Layout.error(.csrfRefused, session: nil), status: .forbidden) }
        guard let token = form["token"], let opened = try await sessions.open(token: token) else {
            return PageResponse.html(SignInPage.render(message: "That token is not valid (unknown or revoked)."), status: .unauthorized)
        }
        var response = PageResponse.redirect(to: "/dashboard")
        response.setCookie(
            sessionCookie(opened.cookie, secure: isSecure(request), maxAge: Int(configuration.sessionLifetime.components.seconds)))
        return response
    }

    func signOut(_ request: Request) async throws -> Response {
        if let cookie = request.cookies[Self.cookieName]?.value { try await sessions.close(cookie: cookie) }
        var response = PageResponse.redirect(to: "/dashboard/sign-in")
        response.setCookie(sessionCookie("", secure: isSecure(request), maxAge: 0))
        return response
    }

    func session(of request: Request) async throws -> DashboardSession? {
        guard let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty else { return nil }
        return try await sessions.session(cookie: cookie)
    }

    /// `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's link or form sends
    /// it), `Path=/dashboard`, `Secure` behind HTTPS.
    private func sessionCookie(_ value: String, secure: Bool, maxAge: Int) -> Cookie {
        Cookie(name: Self.cookieName, value: value, maxAge: maxAge, path: "/dashboard", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Whether the browser reached us over HTTPS: a proxy says so in `X-Forwarded-Proto`, or the
    /// configured public URL is `https://` (then the cookie is `Secure` even on the proxy's hop).
    func isSecure(_ request: Request) -> Bool {
        configuration.publicBaseURL.lowercased().hasPrefix("https://")
            || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// A POST from a page of this site: browsers send `Sec-Fetch-Site` and `Origin` with every
    /// form; when present they must say same origin (a defence beside the CSRF token, and the
    /// only one the sign-in form has, since no session exists yet).
    static func isSameSite(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { return false }
        if let origin = request.headers[HTTPField.Name("Origin")!] {
            guard let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!],
                let url = URL(string: origin), let originHost = url.host
            else { return false }
            let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
            return originAuthority == host
        }
        return true
    }

    /// Runs `body`, answering a database that cannot be reached with a 503 page that says so, and
    /// anything else unexpected with a 500 page that reveals nothing (and a log line that does).
    func failuresAsPages(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as PostgresError where error.isConnectionProblem || error.kind == .shutdown {
            logger.warning("dashboard: database unavailable", metadata: ["error": "\(error)"])
            let refusal = DashboardError(
                status: 503, title: "Database unavailable", message: "The database cannot be reached; reload in a few seconds.")
            var response = PageResponse.html(Layout.error(refusal, session: nil), status: .serviceUnavailable)
            response.headers[.retryAfter] = "5"
            return response
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            logger.error("dashboard page failed", metadata: ["error": "\(error)"])
            let refusal = DashboardError(
                status: 500, title: "Something went wrong", message: "It has been logged. Reload, or report it if it persists.")
            return PageResponse.html(Layout.error(refusal, session: nil), status: .internalServerError)
        }
    }

    /// Runs `body`, answering the refusals the dashboard and the stores raise with a page.
    static func refusalsAsPages(session: DashboardSession?, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as DashboardError {
            return PageResponse.html(Layout.error(error, session: session), status: HTTPResponse.Status(code: error.status))
        } catch let error as StoreError {
            let refusal: DashboardError
            switch error {
            case .notFound(let what): refusal = .notFound(what.prefix(1).uppercased() + what.dropFirst())
            case .conflict(let message): refusal = DashboardError(status: 409, title: "Not possible now", message: message)
            case .invalid(let field, let message): refusal = .invalid("\(field): \(message)")
            }
            return PageResponse.html(Layout.error(refusal, session: session), status: HTTPResponse.Status(code: refusal.status))
        }
    }
}
