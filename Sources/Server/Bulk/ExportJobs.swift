import Foundation
import SearchParameters
import Storage
import Synchronization

/// The `$export` jobs in progress and done, bounded in number and each expiring.
///
/// A job keeps the index snapshot it started on: the index is immutable, so its files can be
/// streamed from that snapshot whenever they are fetched, and a swap never changes them.
final class ExportJobs: Sendable {
    enum State: Sendable {
        /// Counting what each type's files hold.
        case running(progress: String)
        case ready(manifest: [UInt8], parts: [String: DirectoryIndex.ExportPart], deletions: [[UInt8]])
        case failed(reason: String)
    }

    struct Job: Sendable {
        let id: String
        let snapshot: IndexHolder.Snapshot
        let request: ExportRequest
        /// The kick-off URL, for the manifest's `request`.
        let kickoff: String
        let base: String
        let expires: Date
        var state: State
    }

    struct Full: Error {
        /// Seconds until the oldest job expires.
        var retryAfter: Int
    }

    private let jobs = Mutex<[String: Job]>([:])
    let capacity: Int
    let lifetime: Duration

    init(capacity: Int, lifetime: Duration) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    /// Registers a new job, or throws `Full` when `capacity` jobs are alive.
    func start(snapshot: IndexHolder.Snapshot, request: ExportRequest, kickoff: String, base: String) throws(Full)
        -> Job
    {
        let now = Date()
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) * 1e-18
        let result: Result<Job, Full> = jobs.withLock { jobs in
            jobs = jobs.filter { $0.value.expires > now }
            guard jobs.count < capacity else {
                let first = jobs.values.map(\.expires).min() ?? now
                return .failure(Full(retryAfter: max(1, Int(first.timeIntervalSince(now).rounded(.up)))))
            }
            let job = Job(
                id: UUID().uuidString.lowercased(), snapshot: snapshot, request: request, kickoff: kickoff, base: base,
                expires: now.addingTimeInterval(seconds), state: .running(progress: "starting"))
            jobs[job.id] = job
            return .success(job)
        }
        return try result.get()
    }

    /// The job, unless it is unknown, cancelled or expired.
    func job(_ id: String) -> Job? {
        let now = Date()
        return jobs.withLock { jobs in
            guard let job = jobs[id] else { return nil }
            guard job.expires > now else {
                jobs[id] = nil
                return nil
            }
            return job
        }
    }

    /// Sets a job's state; false when it was cancelled or expired meanwhile.
    @discardableResult
    func update(_ id: String, _ state: State) -> Bool {
        jobs.withLock { jobs in
            guard jobs[id] != nil else { return false }
            jobs[id]?.state = state
            return true
        }
    }

    /// Forgets a job; false when it was not there.
    func cancel(_ id: String) -> Bool {
        jobs.withLock { $0.removeValue(forKey: id) != nil }
    }
}
