import CCurl

/// An owned `curl_slist` (request headers, connect-to entries), freed when the owner goes away.
///
/// libcurl keeps only the pointer, so the list must outlive the transfer that uses it: a
/// `Transfer` holds its lists until it has been removed from the multi handle.
final class CurlStringList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init() {}

    /// Appends a copy of `line`; returns false only when libcurl could not allocate.
    func append(_ line: String) -> Bool {
        guard let extended = line.withCString({ curl_slist_append(pointer, $0) }) else { return false }
        pointer = extended
        return true
    }

    deinit { curl_slist_free_all(pointer) }
}
