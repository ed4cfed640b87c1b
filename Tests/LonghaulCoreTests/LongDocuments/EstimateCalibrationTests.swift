import Foundation
import LonghaulCore
import MantleModels
import Testing

/// The calibrated estimate: one decision of factor and margin from the history, and the chunks
/// a split cuts with it.
@Suite struct EstimateCalibrationTests {
    @Test func fewerCallsThanTheMinimumKeepTheDefaultMargin() {
        #expect(EstimateCalibration.decide(ratio: 0.5, calls: EstimateCalibration.minimumSamples - 1, spread: 0.01) == .uncalibrated)
        #expect(EstimateCalibration.decide(ratio: nil, calls: 500, spread: nil) == .uncalibrated)
        #expect(EstimateCalibration.decide(ratio: .nan, calls: 500, spread: nil) == .uncalibrated)
        #expect(EstimateCalibration.uncalibrated.margin == 1.35)
    }

    @Test func enoughCallsCorrectTheMeanAndSizeTheMarginByTheirScatter() {
        // The estimate runs 1.3× low: 1 ÷ 1.3 estimated token per real one.
        let tight = EstimateCalibration.decide(ratio: 1 / 1.3, calls: 40, spread: 0.01)
        #expect(abs(tight.factor - 1.3) < 1e-9)
        #expect(tight.margin == EstimateCalibration.calibratedMinimumMargin)
        #expect(tight.samples == 40)
        // Single calls scattering by 8 % of the mean: three deviations, 24 %.
        let loose = EstimateCalibration.decide(ratio: 1, calls: 40, spread: 0.08)
        #expect(abs(loose.margin - 1.24) < 1e-9)
        // Never a wider margin than the uncalibrated one.
        #expect(EstimateCalibration.decide(ratio: 1, calls: 40, spread: 0.5).margin == ContextBudget.estimateMargin)
    }

    @Test func aRefusalsCountReplacesTheFactorForItsDocument() {
        let measured = EstimateCalibration.uncalibrated.measured(2_032, estimated: 1_000)
        #expect(abs(measured.factor - 2) < 1e-9)
        #expect(measured.margin == EstimateCalibration.uncalibrated.margin)
        #expect(EstimateCalibration.uncalibrated.measured(10, estimated: 1_000) == .uncalibrated, "a count below the template says nothing")
    }

    static let document = (1...80).map {
        "## Part \($0)\n\n" + String(repeating: "The tide rose at dawn and the boats went out. ", count: 30)
    }
    .joined(separator: "\n\n")

    static func maps(_ parent: MapReduceParent) -> [MapReduceChildSpec] {
        guard case .spawn(let specs) = MapReduceStep.next(parent: parent, children: []) else { return [] }
        return specs
    }

    static func parent(
        calibrations: [String: EstimateCalibration] = [:], settings: MapReduceSettings = MapReduceSettings(contextWindowScale: 0.02)
    )
        -> MapReduceParent
    {
        MapReduceParent(
            model: "openai.gpt-oss-120b", maxOutputTokens: 300, instructions: "Summarise.", document: document, settings: settings,
            calibrations: calibrations)
    }

    @Test("a model whose estimate runs 1.3× low gets chunks sized by the calibrated figure")
    func chunksFollowTheCalibration() throws {
        let plain = Self.maps(Self.parent())
        let history = EstimateCalibration.decide(ratio: 1 / 1.3, calls: 100, spread: 0.02)
        let calibrated = Self.maps(Self.parent(calibrations: ["openai.gpt-oss-120b": history]))
        let largest = { (specs: [MapReduceChildSpec]) in specs.map(\.estimatedInputTokens).max() ?? 0 }
        #expect(!plain.isEmpty && !calibrated.isEmpty)
        // What each chunk may be estimated at: the window's input room ÷ (factor × margin).
        let limits = MapReduceSettings(contextWindowScale: 0.02).limits(for: "openai.gpt-oss-120b")
        let room = Double(limits.inputBudget(reservingOutput: 300) - ContextBudget.templateTokens)
        #expect(Double(largest(plain)) <= room / 1.35)
        #expect(Double(largest(calibrated)) <= room / (1.3 * 1.10))
        // 1.3 × 1.10 = 1.43 > 1.35: the calibrated chunks are smaller, so there are more of them,
        // and every chunk fits the window as the model counts it.
        #expect(largest(calibrated) < largest(plain))
        #expect(calibrated.count > plain.count)
        #expect(
            calibrated.allSatisfy {
                Double($0.estimatedInputTokens) * 1.3 + Double(ContextBudget.templateTokens) + 300 <= Double(limits.contextWindow)
            })
    }

    @Test("a job refused for length is cut with the window and the count the refusal stated")
    func refusalFiguresCutTheChunks() throws {
        // Longhaul planned with twice the window Mantle has, and its estimate ran 2× low.
        let estimate = TokenEstimate.inputTokens(Self.document) + TokenEstimate.inputTokens("Summarise.")
        let refusal = ContextRefusal(inputTokens: 2 * estimate + ContextBudget.templateTokens, contextWindow: 2_621)
        let settings = MapReduceSettings(contextWindowScale: 0.04, refusal: refusal, refusedEstimate: estimate)
        #expect(settings.limits(for: "openai.gpt-oss-120b", refusedModel: "openai.gpt-oss-120b").contextWindow == 2_621)
        let specs = Self.maps(Self.parent(settings: settings))
        #expect(!specs.isEmpty)
        // Counted as the model counts (2 × the estimate), every chunk fits the stated window.
        #expect(
            specs.allSatisfy { 2 * $0.estimatedInputTokens + ContextBudget.templateTokens + 300 <= 2_621 },
            "\(specs.map(\.estimatedInputTokens))")
        // The settings survive the job's params.
        #expect(MapReduceSettings(params: settings.params) == settings)
    }
}
