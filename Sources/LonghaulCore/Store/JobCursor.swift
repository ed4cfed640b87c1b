import Foundation

/// The opaque position of a job listing: the base64url of `v1:<last job id>`.
///
/// Pages are keyset pages on `id DESC`: a cursor means "older than this id", so jobs enqueued
/// while a client pages never shift the pages it has not read yet.
enum JobCursor {
    static func encode(lastID: Int64) -> String {
        Data("v1:\(lastID)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The id a cursor stands for, or `StoreError.invalid(field: "cursor")`.
    static func decode(_ cursor: String) throws -> Int64 {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard cursor.utf8.count <= 64, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("v1:"), let id = Int64(text.dropFirst(3)), id > 0
        else {
            throw StoreError.invalid(field: "cursor", message: "not a cursor this server issued; pass next_cursor from the previous page unchanged")
        }
        return id
    }
}
