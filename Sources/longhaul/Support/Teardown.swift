/// Runs `body`, then `teardown`, whether `body` returned or threw: the shape of every scoped
/// helper here (`withDatabaseSession`, `withMantleRuntime`, `withHTTPClient`), since Swift has no
/// `defer` that can await.
func withTeardown<T: Sendable>(_ body: () async throws -> T, teardown: () async -> Void) async throws -> T {
    let value: T
    do {
        value = try await body()
    } catch {
        await teardown()
        throw error
    }
    await teardown()
    return value
}
