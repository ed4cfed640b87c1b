/// Strings that test a JSON writer's escaping: quotes, backslashes and slashes, every kind of
/// control character and NUL, line and paragraph separators, non-ASCII, emoji sequences and a
/// long text. Shared by the tests that hold a hand-written writer to `JSONEncoder`.
public enum JSONTexts {
    public static let tricky = [
        "", "S.", "Summarise this.", "a \"quote\", a \\ backslash and a / slash",
        "line\nbreak\r\n\ttab\u{8}\u{C}\u{1}\u{1F}\u{7F}", "\u{0}nul", "\u{0}\u{1}\u{1F}\u{7F} controls",
        "é café naïve 日本語", "emoji 👩‍👩‍👧‍👦 🇫🇷 😀", "\u{2028}\u{2029}\u{FEFF}",
        String(repeating: "A long text with \"quotes\" and\nlines. ", count: 300),
    ]
}
