/// A shell-style pattern matched against a document's relative path, for `--include`/`--exclude`.
///
/// `*` matches within one path component, `?` one character, `[a-z]`/`[!a-z]` a set, `**` any
/// run of characters across components, and `**/` zero or more whole directories. As in
/// `.gitignore`, a pattern without a `/` matches the file name at any depth (`*.md` finds
/// `notes/a.md`); one with a `/` matches the whole relative path (`reports/**`, `**/*.txt`); a
/// leading `/` anchors a slash-less pattern to the top folder, and a trailing `/` means everything
/// below (`drafts/` is `drafts/**`). Matching is case-sensitive and runs in time proportional to
/// pattern × path, with no backtracking.
public struct DocumentGlob: Sendable, Hashable, CustomStringConvertible {
    /// One element of a compiled pattern.
    private enum Token: Sendable, Hashable {
        case literal(Unicode.Scalar)
        case anyCharacter
        case characterSet(ranges: [ClosedRange<Unicode.Scalar>], negated: Bool)
        case anyWithinComponent
        case anyAcrossComponents
        case anyDirectories
    }

    /// The pattern as written.
    public let pattern: String
    private let tokens: [Token]
    private let matchesFileNameOnly: Bool

    /// Compiles `pattern`; throws when it is empty or has an unclosed `[`.
    public init(_ pattern: String) throws(DocumentGlobError) {
        guard !pattern.isEmpty else { throw DocumentGlobError(pattern: pattern, problem: "the pattern is empty") }
        self.pattern = pattern
        var body = Array(pattern.unicodeScalars)
        var anchored = false
        if body.first == "/" {
            body.removeFirst()
            anchored = true
        }
        if body.last == "/" {
            body.append(contentsOf: "**".unicodeScalars)
        }
        matchesFileNameOnly = !anchored && !body.contains("/")
        tokens = try Self.compile(body, pattern: pattern)
    }

    /// Whether a file's relative path (with `/` separators) matches.
    public func matches(_ relativePath: String) -> Bool {
        var path = Array(relativePath.unicodeScalars)
        if matchesFileNameOnly, let slash = path.lastIndex(of: "/") {
            path.removeSubrange(...slash)
        }
        return Self.match(tokens, path)
    }

    /// Whether an exclude pattern covers a whole directory, so the scanner need not enter it:
    /// `drafts/**` and `drafts` cover `drafts`; `*.md` covers a directory named `notes.md`.
    func coversDirectory(_ relativePath: String) -> Bool {
        matchesFileNameOnly ? matches(relativePath) : matches(relativePath + "/")
    }

    /// The pattern as written.
    public var description: String { pattern }

    private static func compile(_ scalars: [Unicode.Scalar], pattern: String) throws(DocumentGlobError) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                if index + 1 < scalars.count, scalars[index + 1] == "*" {
                    let atComponentStart = index == 0 || scalars[index - 1] == "/"
                    if atComponentStart, index + 2 < scalars.count, scalars[index + 2] == "/" {
                        tokens.append(.anyDirectories)
                        index += 3
                    } else {
                        tokens.append(.anyAcrossComponents)
                        index += 2
                    }
                } else {
                    tokens.append(.anyWithinComponent)
                    index += 1
                }
            case "?":
                tokens.append(.anyCharacter)
                index += 1
            case "[":
                let (token, next) = try compileSet(scalars, from: index, pattern: pattern)
                tokens.append(token)
                index = next
            case "\\" where index + 1 < scalars.count:
                tokens.append(.literal(scalars[index + 1]))
                index += 2
            default:
                tokens.append(.literal(scalar))
                index += 1
            }
        }
        return tokens
    }

    /// Compiles `[...]` starting at `start`; returns the token and the index after `]`.
    private static func compileSet(
        _ scalars: [Unicode.Scalar], from start: Int, pattern: String
    ) throws(DocumentGlobError) -> (Token, Int) {
        var index = start + 1
        var negated = false
        if index < scalars.count, scalars[index] == "!" || scalars[index] == "^" {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "]" && !first {
                return (.characterSet(ranges: ranges, negated: negated), index + 1)
            }
            first = false
            if index + 2 < scalars.count, scalars[index + 1] == "-", scalars[index + 2] != "]" {
                let upper = scalars[index + 2]
                guard scalar <= upper else {
                    throw DocumentGlobError(pattern: pattern, problem: "the range \(scalar)-\(upper) is reversed")
                }
                ranges.append(scalar...upper)
                index += 3
            } else {
                ranges.append(scalar...scalar)
                index += 1
            }
        }
        throw DocumentGlobError(pattern: pattern, problem: "a [ is never closed by ]")
    }

    /// Dynamic programming over (token, path position): `reachable[j]` says whether the tokens so
    /// far can consume exactly the first `j` scalars of the path.
    private static func match(_ tokens: [Token], _ path: [Unicode.Scalar]) -> Bool {
        let count = path.count
        var reachable = [Bool](repeating: false, count: count + 1)
        reachable[0] = true
        var next = reachable
        for token in tokens {
            switch token {
            case .literal(let expected):
                next[0] = false
                for j in 0..<count { next[j + 1] = reachable[j] && path[j] == expected }
            case .anyCharacter:
                next[0] = false
                for j in 0..<count { next[j + 1] = reachable[j] && path[j] != "/" }
            case .characterSet(let ranges, let negated):
                next[0] = false
                for j in 0..<count {
                    let scalar = path[j]
                    next[j + 1] = reachable[j] && scalar != "/"
                        && ranges.contains { $0.contains(scalar) } != negated
                }
            case .anyWithinComponent:
                next[0] = reachable[0]
                for j in 0..<count { next[j + 1] = reachable[j + 1] || (next[j] && path[j] != "/") }
            case .anyAcrossComponents:
                next[0] = reachable[0]
                for j in 0..<count { next[j + 1] = reachable[j + 1] || next[j] }
            case .anyDirectories:
                // Zero directories, or any run that starts where the pattern so far ended and
                // finishes with a `/`.
                var anyEarlier = false
                next[0] = reachable[0]
                for j in 0..<count {
                    anyEarlier = anyEarlier || reachable[j]
                    next[j + 1] = reachable[j + 1] || (anyEarlier && path[j] == "/")
                }
            }
            swap(&reachable, &next)
        }
        return reachable[count]
    }
}
