/// The sign-in form: an API token, posted (never in a URL, so it stays out of logs and history).
enum SignInPage {
    static func render(message: String? = nil) -> HTML {
        let note: HTML = message.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? .empty
        return Layout.page(
            title: "Sign in", session: nil,
            """
            <h1>Sign in</h1>
            \(note)
            <form method="post" action="/dashboard/sign-in" class="signin">
            <label for="token">API token</label>
            <input id="token" name="token" type="password" autocomplete="off" required>
            <button type="submit">Sign in</button>
            </form>
            <p class="hint">A project token shows its project; the admin token shows every project; a read-only token
            (<code>longhaul tokens create --read-only</code>) can look but not act. The session lasts 8 hours and ends when
            the token is revoked.</p>
            """)
    }
}
