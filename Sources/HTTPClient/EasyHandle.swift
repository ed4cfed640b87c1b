import CCurl

/// One libcurl easy handle and the error buffer it writes into. Used by the owner thread only;
/// reset and reused across transfers to spare an allocation and libcurl's per-handle set-up.
final class EasyHandle {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER`: libcurl's own words about a failure, set again after every reset.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Clears every option (so nothing leaks from the previous transfer) and the error text.
    func reset() {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
    }

    /// Points libcurl at this handle's error buffer; `reset()` forgets it.
    func attachErrorBuffer() -> CURLcode {
        errorBuffer[0] = 0
        return longhaul_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    /// What libcurl wrote into the error buffer for the last failure, or "" if nothing.
    var errorMessage: String {
        errorBuffer[Int(CURL_ERROR_SIZE) - 1] = 0
        return String(cString: errorBuffer).trimmingTrailingNewlines()
    }

    func set(_ option: CURLoption, _ value: Int) -> CURLcode {
        longhaul_easy_setopt_long(raw, option, value)
    }

    func set(_ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { longhaul_easy_setopt_string(raw, option, $0) }
    }

    func set(_ option: CURLoption, _ list: CurlStringList) -> CURLcode {
        longhaul_easy_setopt_slist(raw, option, list.pointer)
    }

    func info(_ info: CURLINFO) -> Int {
        var value = 0
        return longhaul_easy_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    func seconds(_ info: CURLINFO) -> Double {
        var value = 0.0
        return longhaul_easy_getinfo_double(raw, info, &value) == CURLE_OK ? value : 0
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var trimmed = Substring(self)
        while let last = trimmed.last, last.isNewline { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
