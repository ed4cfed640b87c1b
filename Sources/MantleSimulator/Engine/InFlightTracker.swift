/// Counts one project's Responses still running, and the most that ever ran at once, without a
/// timer: finish times sit in a min-heap and are popped lazily whenever the count is needed.
struct InFlightTracker: Sendable {
    private var heap: [(finishAt: Double, id: String)] = []
    /// Ids that left early (cancelled or deleted) but are still in the heap.
    private var leftEarly: Set<String> = []
    private(set) var current = 0
    private(set) var peak = 0

    mutating func add(id: String, finishAt: Double, now: Double) {
        expire(at: now)
        push((finishAt, id))
        current += 1
        peak = max(peak, current)
    }

    /// A Response that was still running was cancelled or deleted.
    mutating func removeEarly(id: String) {
        if leftEarly.insert(id).inserted { current -= 1 }
    }

    mutating func expire(at now: Double) {
        while let top = heap.first, top.finishAt <= now {
            pop()
            if leftEarly.remove(top.id) == nil { current -= 1 }
        }
    }

    private mutating func push(_ element: (finishAt: Double, id: String)) {
        heap.append(element)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].finishAt < heap[parent].finishAt else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].finishAt < heap[smallest].finishAt { smallest = left }
            if right < heap.count, heap[right].finishAt < heap[smallest].finishAt { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
