/// A fragment of HTML that is safe by construction, as `PostgresQuery` is for SQL.
///
/// Literal text in the source is markup; every interpolated `String` (or number) is escaped for
/// text and for double-quoted attribute values; only another `HTML` value is inserted as markup.
/// So a file name, a summary or a Mantle error message can only ever become text:
/// `"<td>\(job.sourcePath)</td>"` renders `<script>` as `&lt;script&gt;`. Markup from anywhere
/// else needs ``HTML/init(unsafeMarkup:)``, which no outside string reaches.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup, ready to send.
    public private(set) var rendered: String

    /// Markup written in the source (a literal, never outside input).
    public init(stringLiteral value: StaticString) {
        rendered = value.description
    }

    public init(stringInterpolation: StringInterpolation) {
        rendered = stringInterpolation.rendered
    }

    /// Markup that did not come through interpolation: only for text this module wrote.
    init(unsafeMarkup: String) {
        rendered = unsafeMarkup
    }

    /// Nothing.
    public static let empty = HTML(unsafeMarkup: "")

    public var description: String { rendered }

    /// The fragments one after another.
    public static func joined(_ parts: some Sequence<HTML>) -> HTML {
        HTML(unsafeMarkup: parts.map(\.rendered).joined())
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var rendered = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            rendered.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            rendered += literal.description
        }

        /// Text: escaped, whatever it holds.
        public mutating func appendInterpolation(_ text: String) {
            rendered += HTMLEscaping.escaped(text)
        }

        public mutating func appendInterpolation(_ text: Substring) {
            rendered += HTMLEscaping.escaped(String(text))
        }

        /// Text, or nothing for nil.
        public mutating func appendInterpolation(_ text: String?) {
            if let text { rendered += HTMLEscaping.escaped(text) }
        }

        public mutating func appendInterpolation<Number: BinaryInteger>(_ number: Number) {
            rendered += String(number)
        }

        public mutating func appendInterpolation(_ number: Double) {
            rendered += HTMLEscaping.escaped(String(number))
        }

        /// Markup built the same way.
        public mutating func appendInterpolation(_ html: HTML) {
            rendered += html.rendered
        }

        /// Fragments one after another (rows of a table, items of a list).
        public mutating func appendInterpolation(_ parts: [HTML]) {
            for part in parts { rendered += part.rendered }
        }
    }
}
