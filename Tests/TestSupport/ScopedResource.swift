import Foundation

/// Runs `body` with `resource`, then `close` on it whether `body` returned or threw: the clean-up
/// a `defer` cannot do, since a `defer` cannot `await`. Fixtures and harnesses are built on it, so
/// that a test never writes its own teardown.
///
/// When `body` throws, its error is the one the test reports, and a `close` that fails as well is
/// only printed; when `body` returns, a failing `close` fails the test (a database left behind is
/// a bug to see, not to shrug off).
public func withResource<Resource, T>(
    _ resource: Resource,
    close: (Resource) async throws -> Void,
    _ body: (Resource) async throws -> T
) async throws -> T {
    let result: T
    do {
        result = try await body(resource)
    } catch {
        do {
            try await close(resource)
        } catch let closing {
            FileHandle.standardError.write(Data("test clean-up failed after the test did (\(error)): \(closing)\n".utf8))
        }
        throw error
    }
    try await close(resource)
    return result
}
