import Dispatch
import Foundation

/// Reads small files off Swift's cooperative thread pool.
///
/// A file read is a blocking system call of unknown duration (a network home directory, a slow
/// disk), so it runs on a Dispatch queue and the caller awaits it.
enum FileReading {
    /// The contents of `path`, nil when it does not exist, or an error when it cannot be read or
    /// is larger than `maxBytes`.
    static func contents(of path: String, maxBytes: Int) async throws(MantleError) -> Data? {
        let result: Result<Data?, MantleError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: readNow(path, maxBytes: maxBytes))
            }
        }
        return try result.get()
    }

    private static func readNow(_ path: String, maxBytes: Int) -> Result<Data?, MantleError> {
        guard FileManager.default.fileExists(atPath: path) else { return .success(nil) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(.credential("cannot read \(path): check its permissions"))
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: maxBytes + 1) ?? Data()
            if data.count > maxBytes {
                return .failure(.credential("\(path) is larger than \(maxBytes) bytes; is it the right file?"))
            }
            return .success(data)
        } catch {
            return .failure(.credential("cannot read \(path): \(error.localizedDescription)"))
        }
    }
}
