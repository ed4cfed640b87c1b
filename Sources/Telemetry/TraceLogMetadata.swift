public import Logging
import ServiceContextModule

extension Logger.MetadataProvider {
    /// Adds `trace.id`, `span.id` and `job.id` to every log line written inside a traced span,
    /// from the task's `ServiceContext`: one task-local read per line, nothing when there is none.
    public static let trace = Logger.MetadataProvider {
        guard let context = ServiceContext.current else { return [:] }
        var metadata: Logger.Metadata = [:]
        if let parent = context.traceParent {
            metadata["trace.id"] = "\(parent.traceIDHex)"
            metadata["span.id"] = "\(parent.spanIDHex)"
        }
        if let job = context.jobPublicID { metadata["job.id"] = "\(job)" }
        return metadata
    }
}
