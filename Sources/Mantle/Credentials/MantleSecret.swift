/// A secret string (an API key, a minted token, an AWS secret key) that never prints itself.
///
/// `description`, `debugDescription` and `dump()` all show `<redacted>`, so a secret that ends up
/// in a log line, an error or a test failure message leaks nothing. Read it with `exposedValue`
/// only where it leaves the process (an `Authorization` header, a signature).
public struct MantleSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret itself; use it only to put it on the wire or into a signature.
    public let exposedValue: String

    /// Wraps `value`.
    public init(_ value: String) { exposedValue = value }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
    /// A mirror with no children, so `dump()` and test failure output show nothing secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
