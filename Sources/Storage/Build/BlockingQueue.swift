import Foundation

/// A bounded first-in-first-out hand-over between two threads; bounded so a fast reader cannot
/// run ahead of the writer and fill memory.
final class BlockingQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    /// At most `capacity` long, so removing from the front is cheap.
    private var items: [Element] = []
    private let capacity: Int
    private var closed = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits while full; false once the queue is closed (the consumer gave up).
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        if closed { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Waits while empty; nil once the queue is closed and drained.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        // Removed, not just passed over: a taken batch must be freed once its writer is done.
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
