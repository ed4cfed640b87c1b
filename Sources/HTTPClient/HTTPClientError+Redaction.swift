extension HTTPClientError {
    /// A request refused before it was sent, naming its URL without what may be secret.
    static func invalidRequest(_ message: String, url: String) -> HTTPClientError {
        HTTPClientError(kind: .invalidRequest, message: message, url: redacted(url: url))
    }

    /// `url` without its query string, fragment or user info: those may carry secrets (signed
    /// tokens, API keys, passwords) and errors end up in logs and job records.
    static func redacted(url: String) -> String {
        var kept = Substring(url)
        if let cut = kept.firstIndex(where: { $0 == "?" || $0 == "#" }) { kept = kept[..<cut] }
        guard let schemeEnd = kept.firstRange(of: "://")?.upperBound else { return String(kept) }
        let authorityEnd = kept[schemeEnd...].firstIndex(of: "/") ?? kept.endIndex
        guard let at = kept[schemeEnd..<authorityEnd].lastIndex(of: "@") else { return String(kept) }
        return String(kept[..<schemeEnd] + kept[kept.index(after: at)...])
    }
}
