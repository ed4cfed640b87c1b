import Foundation
import LonghaulCore

/// `longhaul batch DIR --plan`: the plan as a table with totals, or as one JSON object.
struct BatchPlanReport {
    var plan: RunPlan
    /// Files that would be skipped, with why (unreadable, binary, refused).
    var skipped: [(path: String, reason: String)]

    func print(json: Bool) throws {
        if json {
            try printJSON(Output(plan: plan, skipped: skipped.map { .init(path: $0.path, reason: $0.reason) }))
        } else {
            Swift.print(text)
        }
    }

    private struct Output: Encodable {
        struct Skip: Encodable {
            var path: String
            var reason: String
        }
        var plan: RunPlan
        var skipped: [Skip]
    }

    var text: String {
        var table = TextTable("DOCUMENT", "CALLS", "INPUT TOKENS", "OUTPUT (EXPECTED / AT MOST)", "COST (EXPECTED / AT MOST)", "NOTE")
        for document in plan.documents {
            let note = document.alreadyDone ? "done in an earlier run: skipped" : document.warning ?? (document.levels > 1 ? "split: \(document.levels) levels" : "")
            table.append(
                document.name, String(document.calls),
                "\(document.inputTokens)\(document.inputCount == "estimate" ? " (est.)" : "")",
                "\(document.expectedOutputTokens.map(String.init) ?? "?") / \(document.worstOutputTokens)",
                "\(money(document.expectedCost)) / \(money(document.worstCost))", note)
        }
        var lines = [table.render(), ""]
        lines.append(
            "plan: \(plan.toRun) document\(plan.toRun == 1 ? "" : "s") to run in \(plan.calls) call\(plan.calls == 1 ? "" : "s") at most"
                + (plan.alreadyDone > 0 ? ", \(plan.alreadyDone) already done" : "") + (skipped.isEmpty ? "" : ", \(skipped.count) skipped"))
        lines.append(
            "tokens: \(plan.inputTokens) input, \(plan.expectedOutputTokens.map { "about \($0)" } ?? "unknown") output expected, "
                + "\(plan.worstOutputTokens) at most")
        if let currency = plan.currency {
            lines.append("cost: \(money(plan.expectedCost, currency)) expected, \(money(plan.worstCost, currency)) at most")
        } else {
            lines.append(
                "cost: unknown — no price for \(plan.unpricedModels.joined(separator: ", ")); set one with "
                    + "`longhaul usage prices set MODEL --input … --output …`")
        }
        if plan.expectedOutputTokens == nil {
            lines.append("expected output: unknown until this project has completed jobs of these models; the worst case assumes every answer uses max_output_tokens")
        }
        lines.append("time: " + (plan.minimumSeconds.map { "at least \(duration($0)), bounded by \(plan.timeBasis)" } ?? plan.timeBasis))
        for skip in skipped { lines.append("skipped \(skip.path): \(skip.reason)") }
        lines.append("nothing was enqueued and no call was made; run the same command without --plan to do the work")
        return lines.joined(separator: "\n")
    }

    private func money(_ value: Double?, _ currency: String? = nil) -> String {
        value.map { Money.format($0, currency: currency ?? plan.currency) } ?? "?"
    }

    private func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<60: "\(Int(seconds.rounded(.up))) s"
        case ..<3600: "\(Int((seconds / 60).rounded(.up))) min"
        default: String(format: "%.1f h", seconds / 3600)
        }
    }
}
