import Foundation
import Testing

import LonghaulCore
import Mantle

/// A split job's next step, decided from its children alone.
@Suite struct MapReduceStepTests {
    static let parent = MapReduceParent(
        model: "openai.gpt-oss-120b", maxOutputTokens: 300, instructions: "Summarise.",
        document: (1...60).map { "## Part \($0)\n\n" + String(repeating: "The tide rose at dawn and the boats went out. ", count: 30) }.joined(separator: "\n\n"),
        settings: MapReduceSettings(strategy: .auto, contextWindowScale: 0.02))

    static func child(level: Int, position: Int, of total: Int, _ state: JobState, text: String = "A summary.", tokens: Int = 10) -> MapReduceChild {
        MapReduceChild(
            placement: ChunkPlacement(level: level, position: position, firstPart: position, lastPart: position, partsTotal: total, headingPath: ["Part"]),
            state: state, outputText: state == .completed ? text : nil,
            usage: state.isTerminal ? Usage(inputTokens: tokens, outputTokens: tokens) : nil, errorCode: state == .failed ? "server_error" : nil)
    }

    @Test func noChildrenMeansSplitIntoMapJobsThatFit() throws {
        guard case .spawn(let specs) = MapReduceStep.next(parent: Self.parent, children: []) else {
            Issue.record("expected map jobs")
            return
        }
        #expect(specs.count > 10)
        #expect(specs.map(\.placement.position) == Array(0..<specs.count))
        #expect(specs.allSatisfy { $0.placement.level == 1 && $0.placement.partsTotal == specs.count && $0.maxOutputTokens == 300 })
        let window = Self.parent.settings.limits(for: Self.parent.model)
        let budget = ContextBudget(limits: window)
        #expect(specs.allSatisfy { budget.fits(estimatedInputTokens: $0.estimatedInputTokens, outputTokens: 300) })
        #expect(specs[0].instructions.contains("Part 1 of \(specs.count)"))
        #expect(specs[0].instructions.contains("Summarise."))
    }

    @Test func childrenRunOnTheAPIOfTheProjectsOwnEntryForTheirModel() throws {
        var parent = Self.parent
        parent.settings.limitOverrides = [
            parent.model: ModelLimitOverride(model: parent.model, contextWindow: 131_072, api: .chatCompletions)
        ]
        parent.settings.contextWindowScale = 1
        parent.settings.limitOverrides[parent.model]?.contextWindow = 2_621
        guard case .spawn(let specs) = MapReduceStep.next(parent: parent, children: []) else {
            Issue.record("expected map jobs")
            return
        }
        #expect(!specs.isEmpty && specs.allSatisfy { $0.api == .chatCompletions })
        guard case .spawn(let specs) = MapReduceStep.next(parent: Self.parent, children: []) else { return }
        #expect(specs.allSatisfy { $0.api == nil })
    }

    @Test func aLevelStillWorkingMeansWait() {
        let children = [Self.child(level: 1, position: 0, of: 2, .completed), Self.child(level: 1, position: 1, of: 2, .running)]
        #expect(MapReduceStep.next(parent: Self.parent, children: children) == .wait)
    }

    @Test func aFailedChildFailsTheJobWithEveryCallsUsage() {
        let children = [Self.child(level: 1, position: 0, of: 2, .completed), Self.child(level: 1, position: 1, of: 2, .failed)]
        guard case .fail(let code, let message, let usage) = MapReduceStep.next(parent: Self.parent, children: children) else {
            Issue.record("expected a failure")
            return
        }
        #expect(code == "child_failed")
        #expect(message.contains("1 of 2 chunk summaries") && message.contains("Part 2 of 2") && message.contains("server_error"))
        #expect(usage.totalTokens == 40)
    }

    @Test func summariesAreMergedInOrderAndTheLastMergeCompletesTheJob() {
        let maps = (0..<6).map { Self.child(level: 1, position: $0, of: 6, .completed, text: "Summary \($0 + 1).") }
        guard case .spawn(let merges) = MapReduceStep.next(parent: Self.parent, children: maps) else {
            Issue.record("expected a merge")
            return
        }
        #expect(merges.count == 1)
        let merge = merges[0]
        #expect(merge.placement.level == 2 && merge.placement.firstPart == 0 && merge.placement.lastPart == 5)
        let order = (1...6).compactMap { merge.document.range(of: "Summary \($0).")?.lowerBound }
        #expect(order.count == 6 && order == order.sorted())
        #expect(merge.document.hasPrefix("[Part 1 of 6 — Part]"))

        var done = maps
        done.append(MapReduceChild(placement: merge.placement, state: .completed, outputText: "The whole.", usage: Usage(inputTokens: 50, outputTokens: 5)))
        #expect(MapReduceStep.next(parent: Self.parent, children: done) == .complete(text: "The whole.", usage: Usage(inputTokens: 110, outputTokens: 65)))
    }

    @Test func manySummariesAreMergedInGroupsThatFit() {
        let long = String(repeating: "The harbour logged the tide. ", count: 40)
        let maps = (0..<30).map { Self.child(level: 1, position: $0, of: 30, .completed, text: long) }
        guard case .spawn(let merges) = MapReduceStep.next(parent: Self.parent, children: maps) else {
            Issue.record("expected merges")
            return
        }
        #expect(merges.count > 1 && merges.count < 30)
        #expect(merges.first?.placement.firstPart == 0 && merges.last?.placement.lastPart == 29)
        for (left, right) in zip(merges, merges.dropFirst()) { #expect(left.placement.lastPart + 1 == right.placement.firstPart) }
    }

    @Test func summariesThatCannotShrinkFailInsteadOfLoopingForever() {
        let huge = String(repeating: "The harbour logged the tide. ", count: 400)
        let maps = (0..<3).map { Self.child(level: 1, position: $0, of: 3, .completed, text: huge) }
        guard case .fail(let code, _, _) = MapReduceStep.next(parent: Self.parent, children: maps) else {
            Issue.record("expected a failure")
            return
        }
        #expect(code == "summaries_do_not_fit")
    }
}
