import Foundation
import LonghaulCore

/// What `POST /v1/jobs` and every other route would otherwise read from PostgreSQL on each
/// request — the caller of a token, the admin's project by slug, a project's model limits, the
/// models' estimate calibrations — kept
/// for `lifetime` (1 s): at 5,000 requests a second these were two or three round trips each.
///
/// The bound: a token revoked, a project archived or changed, or a model limit set elsewhere (the
/// CLI, another server) takes effect here within `lifetime`; through this server at once, since
/// every request that may write anything but jobs and batches forgets all of it
/// (`AuthenticationMiddleware`).
public final class RequestLookups: Sendable {
    public static let defaultLifetime: Duration = .seconds(1)

    let callers: ExpiringCache<Data, Caller>
    let projects: ExpiringCache<String, Project>
    let modelLimits: ExpiringCache<Int64, [String: ModelLimitOverride]>
    /// Every model's estimate calibration (one entry, key `0`: they are not per project).
    let calibrations: ExpiringCache<Int, [String: EstimateCalibration]>

    public init(lifetime: Duration = RequestLookups.defaultLifetime) {
        callers = ExpiringCache(lifetime: lifetime)
        projects = ExpiringCache(lifetime: lifetime)
        modelLimits = ExpiringCache(lifetime: lifetime)
        calibrations = ExpiringCache(lifetime: lifetime)
    }

    func forgetAll() {
        callers.removeAll()
        projects.removeAll()
        modelLimits.removeAll()
        calibrations.removeAll()
    }
}
