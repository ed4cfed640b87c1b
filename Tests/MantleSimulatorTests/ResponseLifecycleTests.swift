import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

@testable import MantleSimulator

@Suite struct ResponseLifecycleTests {
    @Test func backgroundCreateRunsToCompletedWithTextAndUsage() async throws {
        // The first Response takes 1,000–2,000 s of real time, so it is in_progress when read back
        // however slow the machine; the second runs at test speed to its end.
        var slow = SimulatorHarness.fast
        slow.speed = 0.001
        try await SimulatorHarness.run(slow) { sim async throws in
            let created = try await sim.create(instructions: "Summarise the document in 2 sentences.")
            let id = try #require(created["id"].string)
            #expect(id.hasPrefix("resp_"))
            #expect(created["status"].string == "in_progress")
            #expect(created["output"].array.isEmpty)
            #expect(created["usage"].isNull)
            #expect(created["completed_at"].isNull)
            #expect(!created.keys.contains("output_text"))

            let running = try JSON(try await sim.get("/v1/responses/\(id)"))
            #expect(running["status"].string == "in_progress")

            sim.engine.replaceConfiguration(SimulatorHarness.fast)
            let finished = try await sim.create(instructions: "Summarise the document in 2 sentences.")
            let done = try await sim.waitTerminal(try #require(finished["id"].string))
            #expect(done["status"].string == "completed")
            #expect(done["completed_at"].int != nil)
            #expect(!done.keys.contains("output_text"))
            let message = try #require(done["output"].array.first { $0["type"].string == "message" })
            #expect(message["id"].string?.hasPrefix("msg_") == true)
            #expect(message["role"].string == "assistant")
            #expect(done.outputText.split(separator: ".").count == 2)
            #expect(done.outputText.contains("lighthouse"))
            let usage = done["usage"]
            let input = try #require(usage["input_tokens"].int)
            let output = try #require(usage["output_tokens"].int)
            #expect(input > Documents.english.utf8.count / 5 && input < Documents.english.utf8.count / 3)
            #expect(usage["input_tokens_details"]["cached_tokens"].int == 0)
            #expect(usage["input_tokens_details"]["cache_write_tokens"].int == 0)
            #expect((usage["output_tokens_details"]["reasoning_tokens"].int ?? 0) > 0)
            #expect(usage["total_tokens"].int == input + output)
        }
    }

    @Test func tokenCountsGrowWithTheText() async throws {
        try await SimulatorHarness.run { sim async throws in
            let short = try await sim.create(input: "One short line.", background: false)
            let long = try await sim.create(input: String(repeating: Documents.english + " ", count: 10), background: false)
            let shortTokens = try #require(short["usage"]["input_tokens"].int)
            let longTokens = try #require(long["usage"]["input_tokens"].int)
            #expect(longTokens > 8 * shortTokens)
        }
    }

    @Test func nonBackgroundCreateAnswersWhenFinished() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.create(background: false)
            #expect(response["status"].string == "completed")
            #expect(response["background"].value as? Bool == false)
            #expect(!response.outputText.isEmpty)
        }
    }

    @Test func cancelInEachState() async throws {
        var configuration = SimulatorHarness.fast
        configuration.speed = 1
        configuration.minimumDurationSeconds = 30
        configuration.maximumDurationSeconds = 30
        try await SimulatorHarness.run(configuration) { sim async throws in
            // Running → cancelled, usage null, output empty; a second cancel returns it unchanged.
            let running = try await sim.create()
            let id = try #require(running["id"].string)
            let cancelled = try JSON(try await sim.post("/v1/responses/\(id)/cancel", ""))
            #expect(cancelled["status"].string == "cancelled")
            #expect(cancelled["usage"].isNull)
            #expect(cancelled["output"].array.isEmpty)
            let again = try JSON(try await sim.post("/v1/responses/\(id)/cancel", ""))
            #expect(again["status"].string == "cancelled")
            #expect(try JSON(try await sim.get("/v1/responses/\(id)"))["status"].string == "cancelled")

            // Finished → returned unchanged.
            var instant = sim.engine.configuration
            instant.zeroLatency = true
            sim.engine.replaceConfiguration(instant)
            let finished = try await sim.create()
            let finishedID = try #require(finished["id"].string)
            #expect(finished["status"].string == "in_progress")  // even at zero latency
            let afterCancel = try JSON(try await sim.post("/v1/responses/\(finishedID)/cancel", ""))
            #expect(afterCancel["status"].string == "completed")
            #expect(!afterCancel.outputText.isEmpty)

            // Unknown → 404.
            let unknown = try await sim.post("/v1/responses/resp_missing/cancel", "")
            #expect(unknown.status == .notFound)
        }
    }

    @Test func smallMaxOutputTokensEndsIncompleteWithPartialText() async throws {
        try await SimulatorHarness.run { sim async throws in
            let full = try await sim.create(background: false)
            let partial = try await sim.create(background: false, maxOutputTokens: 60)
            #expect(partial["status"].string == "incomplete")
            #expect(partial["incomplete_details"]["reason"].string == "max_output_tokens")
            #expect(partial["usage"]["output_tokens"].int == 60)
            #expect(!partial.outputText.isEmpty)
            #expect(full.outputText.hasPrefix(partial.outputText))
            #expect(partial.outputText.count < full.outputText.count)
            let message = partial["output"].array.first { $0["type"].string == "message" }
            #expect(message?["status"].string == "incomplete")

            // Budget spent on reasoning alone: no message at all.
            let starved = try await sim.create(background: false, maxOutputTokens: 16)
            #expect(starved["status"].string == "incomplete")
            #expect(starved.outputText.isEmpty)
            #expect(starved["usage"]["output_tokens_details"]["reasoning_tokens"].int == 16)
        }
    }

    @Test func deleteThenNotFound() async throws {
        try await SimulatorHarness.run { sim async throws in
            let id = try #require(try await sim.create()["id"].string)
            let deleted = try await sim.delete("/v1/responses/\(id)")
            #expect(deleted.status == .ok)
            let body = try JSON(deleted)
            #expect(body["deleted"].value as? Bool == true && body["object"].string == "response" && body["id"].string == id)
            #expect(try await sim.get("/v1/responses/\(id)").status == .notFound)
            #expect(try await sim.delete("/v1/responses/\(id)").status == .notFound)
        }
    }

    @Test func unknownAndForeignIDsAreNotFound() async throws {
        try await SimulatorHarness.run { sim async throws in
            let unknown = try await sim.get("/v1/responses/resp_0000")
            #expect(unknown.status == .notFound)
            let error = try JSON(unknown)["error"]
            #expect(error["message"].string == "Response 'resp_0000' not found.")
            #expect(error["type"].string == "invalid_request_error")
            #expect(error.keys == ["message", "type", "param", "code"])

            let project = try JSON(try await sim.post("/v1/organization/projects", #"{"name":"other"}"#))
            let projectID = try #require(project["id"].string)
            let id = try #require(try await sim.create()["id"].string)
            #expect(try await sim.get("/v1/responses/\(id)", project: projectID).status == .notFound)
            #expect(try await sim.get("/v1/responses/\(id)").status == .ok)
        }
    }

    @Test func previousResponseIDMustExist() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post(
                "/v1/responses",
                #"{"model":"openai.gpt-oss-120b","input":"hi","previous_response_id":"resp_gone"}"#
            )
            #expect(response.status == .notFound)
            #expect(try JSON(response)["error"]["message"].string == "Response 'resp_gone' not found.")
        }
    }
}
