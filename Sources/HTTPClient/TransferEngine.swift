import CCurl
import Foundation
import Logging

/// The owner thread's side: the multi handle, the transfers in it and a pool of idle easy
/// handles. Not `Sendable`: it is created on the owner thread and never leaves it.
final class TransferEngine {
    private let multi: MultiHandle
    let configuration: HTTPClient.Configuration
    private let logger: Logger
    private var active: [ObjectIdentifier: Transfer] = [:]
    private var idleHandles: [EasyHandle] = []
    private static let maxIdleHandles = 1024

    init(multi: MultiHandle, configuration: HTTPClient.Configuration, logger: Logger) {
        self.multi = multi
        self.configuration = configuration
        self.logger = logger
    }

    /// Configures an easy handle for `transfer` and adds it to the multi handle.
    func start(_ transfer: Transfer) {
        if transfer.cancelRequested {
            return fail(transfer, kind: .cancelled)
        }
        guard let easy = idleHandles.popLast() ?? EasyHandle() else {
            return fail(transfer, kind: .other, message: "curl_easy_init failed: out of memory")
        }
        let code = configure(easy, for: transfer)
        guard code == CURLE_OK else {
            recycle(easy)
            return fail(
                transfer, kind: .invalidRequest,
                message: "libcurl rejected an option: \(String(cString: curl_easy_strerror(code)))")
        }
        let added = curl_multi_add_handle(multi.raw, easy.raw)
        guard added == CURLM_OK else {
            recycle(easy)
            return fail(transfer, kind: .other, message: "curl_multi_add_handle failed: \(String(cString: curl_multi_strerror(added)))")
        }
        transfer.easy = easy
        active[ObjectIdentifier(transfer)] = transfer
    }

    /// Removes `transfer` from libcurl and resumes it with `.cancelled`; remembers the request if
    /// the transfer has not started yet.
    func cancel(_ transfer: Transfer) {
        guard transfer.easy != nil else {
            transfer.cancelRequested = true
            return
        }
        detach(transfer)
        fail(transfer, kind: .cancelled)
    }

    /// Resumes a transfer its reader had paused (its buffer was full and is now taken).
    func resume(_ transfer: Transfer) {
        guard let easy = transfer.easy else { return }
        let code = longhaul_easy_unpause(easy.raw)
        if code != CURLE_OK {
            logger.debug("curl_easy_pause(CONT) failed", metadata: ["curl.code": "\(code.rawValue)"])
        }
    }

    /// Lets libcurl do all the work it can without blocking, then finishes completed transfers.
    func performAndCollect() {
        var running: Int32 = 0
        let code = curl_multi_perform(multi.raw, &running)
        if code != CURLM_OK {
            logger.debug("curl_multi_perform failed", metadata: ["curl.code": "\(code.rawValue)"])
        }
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi.raw, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let raw = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result  // read before removal invalidates `message`
            var userData: UnsafeMutableRawPointer?
            guard longhaul_easy_getinfo_pointer(raw, CURLINFO_PRIVATE, &userData) == CURLE_OK, let userData else {
                continue
            }
            complete(Unmanaged<Transfer>.fromOpaque(userData).takeUnretainedValue(), code: result)
        }
    }

    /// Sleeps until a socket is ready, a libcurl timer is due, or another thread wakes us.
    func waitForActivity() {
        // curl_multi_poll shortens the wait to libcurl's own next timeout by itself.
        _ = curl_multi_poll(multi.raw, nil, 0, 1000, nil)
    }

    /// Fails every transfer in flight (shutdown).
    func failAllActive(kind: HTTPClientError.Kind) {
        for transfer in active.values {
            detach(transfer)
            fail(transfer, kind: kind)
        }
    }

    /// Frees every easy handle, then the multi handle. Nothing may be active.
    func close() {
        idleHandles.removeAll()
        curl_multi_cleanup(multi.raw)
    }

    /// Resumes `transfer` with an error of `kind` (no libcurl details: it never ran, or was abandoned).
    func fail(_ transfer: Transfer, kind: HTTPClientError.Kind, message: String? = nil) {
        let request = transfer.request
        let text =
            message
            ?? {
                switch kind {
                case .cancelled: return "the request to \(request.hostAndPort) was cancelled by its task"
                case .shutdown: return "the HTTP client was shut down before the request to \(request.hostAndPort) finished"
                default: return "the request to \(request.hostAndPort) failed"
                }
            }()
        transfer.finish(.failure(HTTPClientError(kind: kind, message: text, url: request.redactedURL)))
    }

    private func complete(_ transfer: Transfer, code: CURLcode) {
        guard let easy = transfer.easy else { return }
        let result: Result<HTTPResponse, HTTPClientError>
        if code == CURLE_OK {
            let status = easy.info(CURLINFO_RESPONSE_CODE)
            result = .success(transfer.response(status: status, httpVersion: Self.httpVersion(easy.info(CURLINFO_HTTP_VERSION))))
        } else {
            // Read on this thread, right after completion, before the handle is reset.
            let failure = CurlFailure(
                code: code,
                osErrno: Int32(truncatingIfNeeded: easy.info(CURLINFO_OS_ERRNO)),
                curlMessage: easy.errorMessage,
                elapsedMilliseconds: Int(easy.seconds(CURLINFO_TOTAL_TIME) * 1000),
                requestSent: easy.seconds(CURLINFO_PRETRANSFER_TIME) > 0,
                exceededResponseLimit: transfer.exceededResponseLimit
            )
            let error = failure.error(for: transfer.request)
            logger.debug(
                "HTTP request failed",
                metadata: ["http.url": "\(error.url)", "http.error.kind": "\(error.kind.rawValue)", "http.error": "\(error.message)"])
            result = .failure(error)
        }
        detach(transfer)
        transfer.finish(result)
    }

    /// Removes the transfer's handle from the multi handle, then resets it for reuse.
    private func detach(_ transfer: Transfer) {
        guard let easy = transfer.easy else { return }
        _ = curl_multi_remove_handle(multi.raw, easy.raw)
        transfer.easy = nil
        active[ObjectIdentifier(transfer)] = nil
        recycle(easy)
    }

    private func recycle(_ easy: EasyHandle) {
        easy.reset()
        if idleHandles.count < Self.maxIdleHandles { idleHandles.append(easy) }
    }

    static func httpVersion(_ curlVersion: Int) -> String {
        switch curlVersion {
        case CURL_HTTP_VERSION_1_0: return "1.0"
        case CURL_HTTP_VERSION_2_0: return "2"
        case CURL_HTTP_VERSION_3: return "3"
        default: return "1.1"
        }
    }
}
