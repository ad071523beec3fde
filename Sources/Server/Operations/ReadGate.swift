import Synchronization

/// Admits as many index reads at once as the index has pooled connections; a bounded number
/// more wait, each for a bounded time. Beyond either bound a request is turned away at once
/// (503 with `Retry-After`) instead of queueing without end behind a burst of slow searches.
///
/// Only work that reaches the index passes the gate: cache hits and 304s do not wait.
final class ReadGate: Sendable {
    /// The request was turned away: the queue was full, or it waited `maximumWait`.
    struct Full: Error {
        var waited: Bool
    }

    let permits: Int
    let queueLength: Int
    let maximumWait: Duration

    private struct State {
        var inUse = 0
        /// Waiters by arrival number; the lowest is served first.
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var arrivals: UInt64 = 0
    }

    private enum Admission {
        case admitted
        case queued(UInt64)
        case full
    }

    private let state = Mutex(State())

    init(permits: Int, queueLength: Int, maximumWait: Duration) {
        self.permits = max(1, permits)
        self.queueLength = max(0, queueLength)
        self.maximumWait = maximumWait
    }

    /// Runs `body` holding one permit.
    func withPermit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }

    /// Requests waiting now (for metrics and tests).
    var waiting: Int { state.withLock { $0.waiters.count } }

    func acquire() async throws {
        let free = state.withLock { state in
            guard state.inUse < permits, state.waiters.isEmpty else { return false }
            state.inUse += 1
            return true
        }
        if free { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let admission = state.withLock { state -> Admission in
                if state.inUse < permits && state.waiters.isEmpty {
                    state.inUse += 1
                    return .admitted
                }
                guard state.waiters.count < queueLength else { return .full }
                let arrival = state.arrivals
                state.arrivals += 1
                state.waiters[arrival] = continuation
                return .queued(arrival)
            }
            switch admission {
            case .admitted: continuation.resume()
            case .full: continuation.resume(throwing: Full(waited: false))
            case .queued(let arrival):
                Task { [maximumWait] in
                    try? await Task.sleep(for: maximumWait)
                    self.expire(arrival)
                }
            }
        }
    }

    /// Hands the permit to the longest waiter, or returns it.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if let first = state.waiters.keys.min() { return state.waiters.removeValue(forKey: first) }
            state.inUse -= 1
            return nil
        }
        next?.resume()
    }

    private func expire(_ arrival: UInt64) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: arrival) }
        waiter?.resume(throwing: Full(waited: true))
    }
}
