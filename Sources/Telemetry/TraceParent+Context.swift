public import ServiceContextModule

/// The key under which the current span's `TraceParent` rides in a `ServiceContext`.
enum TraceParentKey: ServiceContextKey {
    typealias Value = TraceParent
    static var nameOverride: String? { "traceparent" }
}

extension ServiceContext {
    /// The current span (or the remote parent extracted from a request), if any.
    public var traceParent: TraceParent? {
        get { self[TraceParentKey.self] }
        set { self[TraceParentKey.self] = newValue }
    }

    /// A context whose parent is the stored `traceparent` value `stored`: how a worker continues
    /// the trace a job was enqueued in. Nil or unparsable: a top-level context.
    public static func continuing(_ stored: String?) -> ServiceContext {
        var context = ServiceContext.topLevel
        context.traceParent = stored.flatMap { TraceParent($0) }
        return context
    }
}

/// The key under which the public id of the job being worked on rides in a `ServiceContext`.
enum JobPublicIDKey: ServiceContextKey {
    typealias Value = String
    static var nameOverride: String? { "job.id" }
}

extension ServiceContext {
    /// The job this task works on (`job_…`), for log lines written under it.
    public var jobPublicID: String? {
        get { self[JobPublicIDKey.self] }
        set { self[JobPublicIDKey.self] = newValue }
    }
}
