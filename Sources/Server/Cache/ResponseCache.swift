import NIOCore
import Synchronization

/// A byte-bounded cache of encoded responses, keyed by the normalized request, evicting with
/// SIEVE (Zhang et al., NSDI 2024): a FIFO queue where a hit only sets a bit, and a hand
/// sweeping from the old end evicts the first entry not hit since it last passed. Under skewed
/// traffic it keeps popular entries as well as LRU or better, and a hit never reorders a list.
///
/// Entries belong to one index version; the first access with another version empties the cache.
final class ResponseCache: Sendable {
    struct Stats: Sendable, Equatable {
        var hits = 0
        var misses = 0
        var evictions = 0
        var entries = 0
        var bytes = 0
    }

    private struct Node {
        var key: String
        var value: CachedResponse
        var visited = false
        var newer: Int?  // towards the head
        var older: Int?  // towards the tail
    }

    private struct State {
        var version = ""
        var nodes: [Node?] = []
        var free: [Int] = []
        var slots: [String: Int] = [:]
        var head: Int?  // newest
        var tail: Int?  // oldest
        var hand: Int?
        var stats = Stats()

        mutating func reset(version: String) {
            let kept = stats
            self = State()
            self.version = version
            stats.hits = kept.hits
            stats.misses = kept.misses
            stats.evictions = kept.evictions
        }

        mutating func unlink(_ slot: Int) {
            let node = nodes[slot]!
            if let newer = node.newer { nodes[newer]!.older = node.older } else { head = node.older }
            if let older = node.older { nodes[older]!.newer = node.newer } else { tail = node.newer }
            if hand == slot { hand = node.newer }
            stats.bytes -= node.value.size
            stats.entries -= 1
            slots[node.key] = nil
            nodes[slot] = nil
            free.append(slot)
        }

        /// Evicts one entry: the hand moves from the old end towards the new, clearing visited
        /// bits, and removes the first unvisited entry.
        mutating func evictOne() {
            var slot = hand ?? tail
            while let current = slot {
                if nodes[current]!.visited {
                    nodes[current]!.visited = false
                    slot = nodes[current]!.newer ?? tail
                } else {
                    hand = nodes[current]!.newer
                    unlink(current)
                    stats.evictions += 1
                    return
                }
            }
        }
    }

    let capacity: Int
    private let state = Mutex(State())

    /// - Parameter capacity: the byte budget; one entry may use at most an eighth of it.
    init(capacity: Int) {
        self.capacity = capacity
    }

    func get(_ key: String, version: String) -> CachedResponse? {
        state.withLock { state in
            if state.version != version { state.reset(version: version) }
            guard let slot = state.slots[key] else {
                state.stats.misses += 1
                return nil
            }
            state.stats.hits += 1
            state.nodes[slot]!.visited = true
            return state.nodes[slot]!.value
        }
    }

    func put(_ key: String, version: String, _ value: CachedResponse) {
        let size = value.size
        guard capacity > 0, size <= capacity / 8 else { return }
        state.withLock { state in
            if state.version != version { state.reset(version: version) }
            if let existing = state.slots[key] { state.unlink(existing) }
            while state.stats.bytes + size > capacity, state.tail != nil { state.evictOne() }
            let node = Node(key: key, value: value, newer: nil, older: state.head)
            let slot: Int
            if let reused = state.free.popLast() {
                slot = reused
                state.nodes[slot] = node
            } else {
                slot = state.nodes.count
                state.nodes.append(node)
            }
            if let head = state.head { state.nodes[head]!.newer = slot } else { state.tail = slot }
            state.head = slot
            state.slots[key] = slot
            state.stats.bytes += size
            state.stats.entries += 1
        }
    }

    /// Stores the gzip form of an entry that is still cached.
    func setGzipped(_ key: String, version: String, _ gzipped: ByteBuffer) {
        state.withLock { state in
            guard state.version == version, let slot = state.slots[key], state.nodes[slot]!.value.gzipped == nil else {
                return
            }
            state.nodes[slot]!.value.gzipped = gzipped
            state.stats.bytes += gzipped.readableBytes
        }
    }

    var stats: Stats { state.withLock { $0.stats } }
    var version: String { state.withLock { $0.version } }
}
