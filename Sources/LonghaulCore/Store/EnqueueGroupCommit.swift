/// One job to enqueue for a project, as `POST /v1/jobs` asks.
public struct EnqueueRequest: Sendable {
    public var job: ValidatedJob
    public var project: Project

    public init(job: ValidatedJob, project: Project) {
        self.job = job
        self.project = project
    }
}

/// Group commit for `POST /v1/jobs`: enqueues that arrive while a write is in flight wait for it,
/// then go together in the next transaction, and each request answers after that commit.
///
/// A durable commit waits for the WAL to reach the disk, so one transaction per request caps the
/// API near the disk's sync rate however many requests are open; a group pays that wait once.
/// Nothing waits on purpose: an idle server writes a lone request at once, and groups form only
/// while the disk is the bottleneck. Each request keeps its own answer: an archived project or an
/// idempotency key reused for another request fails that request alone, and a row the database
/// refuses (`WriteFailure.isolate`) sends the group's requests through one at a time.
public actor EnqueueGroupCommit {
    /// The most requests one transaction carries: 256 jobs of 2 KB are a 0.5 MB jsonb parameter,
    /// written in a few milliseconds; more would make the first request of a group wait longer than
    /// the sync it saves.
    static let maxGroup = 256

    /// Groups written at once, each on its own connection. Two (one built and sent while the other
    /// waits for its commit) halved the groups at 64 connections and raised PostgreSQL's CPU per
    /// job from 155 to 217–245 µs on a 2-core machine that the load already saturates, with no
    /// gain in requests/s (`bench/api.sh`): one, until the database has cores to spare.
    static let maxWriters = 1

    /// A job as stored; `created` is false when an idempotency key matched an earlier request.
    public typealias Stored = (detail: JobDetail, created: Bool)

    private struct Waiter {
        var request: EnqueueRequest
        var answer: CheckedContinuation<Stored, any Error>
    }

    private let store: JobStore
    private var waiting: [Waiter] = []
    private var writers = 0

    public init(store: JobStore) {
        self.store = store
    }

    /// Enqueues `request`'s job and returns it as stored, once its group has committed.
    public func enqueue(_ request: EnqueueRequest) async throws -> Stored {
        try await withCheckedThrowingContinuation { answer in
            waiting.append(Waiter(request: request, answer: answer))
            if writers < Self.maxWriters {
                writers += 1
                // High priority: every waiting request waits for this task, and each of its round
                // trips resumes it on the cooperative pool behind whatever is queued there (mostly
                // other requests' parsing). With its database round trips also cut from six to
                // three, 3,838 → 4,388 requests/s (`bench/compare.sh api 4`, medians of 4).
                Task(priority: .high) { await writeWhileWaiting() }
            }
        }
    }

    private func writeWhileWaiting() async {
        while !waiting.isEmpty {
            let group = Array(waiting.prefix(Self.maxGroup))
            waiting.removeFirst(group.count)
            let answers = await write(group.map(\.request))
            for (waiter, answer) in zip(group, answers) { waiter.answer.resume(with: answer) }
        }
        writers -= 1
    }

    func write(_ requests: [EnqueueRequest]) async -> [Result<Stored, any Error>] {
        let enqueued: [Result<JobStore.GroupAnswer, any Error>]
        do {
            enqueued = try await store.enqueueGroup(requests)
        } catch  where requests.count > 1 && WriteFailure.of(error) == .isolate {
            // The transaction rolled back before its commit: alone, each request meets only its
            // own fault.
            var alone: [Result<Stored, any Error>] = []
            for request in requests { alone += await write([request]) }
            return alone
        } catch {
            return requests.map { _ in .failure(error) }
        }
        return await readBack(enqueued)
    }

    /// The stored jobs: a created job's detail as its transaction read it; the jobs found by an
    /// idempotency key read in one query for the group after its commit.
    private func readBack(_ enqueued: [Result<JobStore.GroupAnswer, any Error>]) async -> [Result<Stored, any Error>] {
        let ids = enqueued.compactMap { result in (try? result.get()).flatMap { $0.detail == nil ? $0.job.id : nil } }
        var details: [Int64: JobDetail] = [:]
        if !ids.isEmpty {
            do {
                details = Dictionary(try await store.jobs(ids: ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            } catch {
                return enqueued.map { _ in .failure(error) }
            }
        }
        return enqueued.map { result in
            result.flatMap { answer in
                guard let detail = answer.detail ?? details[answer.job.id] else {
                    return .failure(StoreError.notFound("job \(answer.job.publicID)"))
                }
                return .success((detail, answer.job.created))
            }
        }
    }
}
