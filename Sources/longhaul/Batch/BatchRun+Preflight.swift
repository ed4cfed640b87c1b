import Foundation
import LonghaulCore
import Mantle

extension BatchRun {
    /// EX_CONFIG (sysexits.h): the key, the credential, the Mantle project or the model needs a
    /// person before any document can be summarised.
    static let configurationExitStatus: Int32 = 78

    /// Asks the project's endpoint, once, whether it takes the key and serves the model, before
    /// the folder is read. Returns the exit status when nothing must be enqueued; nil to go on
    /// (an endpoint that cannot be reached is only a note: the jobs wait for it).
    func preflight(_ project: Project, projects: ProjectStore, reporter: BatchReporter) async throws -> Int32? {
        let model = (command.model ?? project.defaultModel).trimmingCharacters(in: .whitespaces)
        // A model Longhaul itself refuses is refused by the enqueue, in its own words.
        guard MantleModel.responsesCheck(model) == nil else { return nil }
        let verdict: PreflightVerdict
        do {
            verdict = try await withEndpointPreflight(projects: projects, logger: logger) { preflight in
                await preflight.check(project: project, models: [model])
            }
        } catch let error as GatewayConfigurationError {
            reporter.note("\(error); nothing was enqueued")
            return Self.configurationExitStatus
        }
        switch verdict {
        case .ready:
            // The endpoint answers: a breaker left open (or a pause) by an earlier run need not
            // wait for its next probe.
            let changes = try await JobQueue(pool: projects.pool).recordAnswer(projectID: project.id)
            if !changes.isEmpty { reporter.note("project \(project.slug)'s Mantle endpoint answers again: its jobs run") }
            return nil
        case .notChecked:
            return nil
        case .unreachable(let message):
            reporter.note(message)
            return nil
        case .refused(_, let message):
            reporter.note("\(message); nothing was enqueued")
            return Self.configurationExitStatus
        case .modelNotServed(_, _, let message):
            reporter.note(
                "\(message); choose one with --model, or change the project's default with "
                    + "`longhaul projects update \(project.slug) --model MODEL`; nothing was enqueued")
            return Self.configurationExitStatus
        }
    }
}
