import Foundation
import Testing

@testable import Mantle

@Suite struct ResponseDecodingTests {
    private func decode(_ body: String) throws -> MantleResponse {
        try MantleResponse(json: Data(body.utf8))
    }

    @Test func completedWithMantleExtras() throws {
        let response = try decode(RecordedBodies.completed)
        #expect(response.id == "resp_67cb71b351908190a308f3859487620d06981a8637e6bc44")
        #expect(response.status == .completed)
        #expect(response.isTerminal)
        #expect(response.outputText == "Silent circuits hum,\nThoughts emerge in data streams—\nDigital dawn breaks.")
        #expect(response.reasoning.isEmpty)
        #expect(response.createdAt == Date(timeIntervalSince1970: 1_741_386_163))
        #expect(response.completedAt == Date(timeIntervalSince1970: 1_741_386_164))
        #expect(response.usage == ResponseUsage(inputTokens: 32, outputTokens: 18, totalTokens: 50))
        #expect(response.error == nil)
        #expect(response.incompleteReason == nil)
        #expect(response.metadata == [:])
        #expect(response.instructions == nil)
        #expect(response.maxOutputTokens == nil)
        #expect(response.rawJSON == Data(RecordedBodies.completed.utf8))
    }

    @Test func queuedAndInProgressAreStillRunning() throws {
        let queued = try decode(RecordedBodies.queued)
        #expect(queued.status == .queued)
        #expect(!queued.isTerminal)
        #expect(queued.background == true)
        #expect(queued.output.isEmpty)
        #expect(queued.outputText == "")
        #expect(queued.usage == nil)

        let running = try decode(RecordedBodies.inProgress)
        #expect(running.status == .inProgress)
        #expect(!running.isTerminal)
        #expect(running.usage == nil)
        #expect(running.model == "openai.gpt-oss-120b")
        #expect(running.metadata == ["job_id": "j-123", "doc_id": "d-456"])
        #expect(running.maxOutputTokens == 2000)
        #expect(running.createdAt == Date(timeIntervalSince1970: 1_787_372_201.52))
    }

    @Test func cancelledWithNullUsage() throws {
        let response = try decode(RecordedBodies.cancelled)
        #expect(response.status == .cancelled)
        #expect(response.isTerminal)
        #expect(response.usage == nil)
        #expect(response.outputText == "")
    }

    @Test func mantleUsageShape() throws {
        let usage = try JSONDecoder().decode(ResponseUsage.self, from: Data(RecordedBodies.mantleUsage.utf8))
        #expect(usage == ResponseUsage(inputTokens: 17, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 39, reasoningTokens: 0, totalTokens: 56))
        // And it round-trips to the same wire shape.
        let again = try JSONDecoder().decode(ResponseUsage.self, from: JSONEncoder().encode(usage))
        #expect(again == usage)
    }

    @Test func cachedAndReasoningTokens() throws {
        let body = #"""
            {"id":"resp_1","status":"completed","usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024,"cache_write_tokens":64},
             "output_tokens":700,"output_tokens_details":{"reasoning_tokens":512},"total_tokens":1900}}
            """#
        let usage = try #require(try decode(body).usage)
        #expect(usage.inputTokens == 1200)
        #expect(usage.cachedInputTokens == 1024)
        #expect(usage.cacheWriteInputTokens == 64)
        #expect(usage.outputTokens == 700)
        #expect(usage.reasoningTokens == 512)
        #expect(usage.totalTokens == 1900)
    }

    @Test func nullAndMissingDetailsReadAsZero() throws {
        let null = try decode(#"{"id":"r","status":"completed","usage":{"input_tokens":5,"input_tokens_details":null,"output_tokens":3,"output_tokens_details":{"reasoning_tokens":null}}}"#)
        #expect(null.usage == ResponseUsage(inputTokens: 5, outputTokens: 3, totalTokens: 8))
        let missing = try decode(#"{"id":"r","status":"completed","usage":{"input_tokens":5,"output_tokens":3,"total_tokens":8}}"#)
        #expect(missing.usage == null.usage)
    }

    @Test func outputTextAcrossSeveralMessagesAndParts() throws {
        let body = #"""
            {"id":"resp_2","object":"response","status":"completed","output":[
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Plan: list the points."}],
               "content":[{"type":"reasoning_text","text":"The user wants bullets."}],"encrypted_content":null},
              {"type":"message","id":"msg_1","role":"assistant","status":"completed","phase":"commentary",
               "content":[{"type":"output_text","text":"- one\n","annotations":[],"logprobs":[]},
                          {"type":"output_text","text":"- two\n","annotations":[]}]},
              {"type":"function_call","id":"fc_1","name":"lookup","arguments":"{}"},
              {"type":"reasoning","id":"rs_2","summary":[]},
              {"type":"message","id":"msg_2","role":"assistant","status":"completed","phase":"final_answer",
               "content":[{"type":"refusal","refusal":"not that part"},{"type":"output_text","text":"- three","annotations":[]},
                          {"type":"output_audio","data":"…"}]}
            ]}
            """#
        let response = try decode(body)
        #expect(response.outputText == "- one\n- two\n- three")
        #expect(response.reasoning.count == 2)
        #expect(response.reasoning.first?.summary == ["Plan: list the points."])
        #expect(response.reasoning.first?.content == ["The user wants bullets."])
        #expect(!response.outputText.contains("Plan"), "reasoning stays apart from the answer")
        #expect(response.refusals == ["not that part"])
        #expect(response.output.count == 5)
        #expect(response.output[2] == .other(type: "function_call"))
    }

    @Test func failedAndIncomplete() throws {
        let failed = try decode(#"{"id":"r","status":"failed","error":{"code":"server_error","message":"The model crashed."},"usage":null}"#)
        #expect(failed.status == .failed)
        #expect(failed.isTerminal)
        #expect(failed.error == ResponseError(code: "server_error", message: "The model crashed."))
        #expect(failed.error?.isTransient == true)
        let invalid = try decode(#"{"id":"r","status":"failed","error":{"code":"invalid_prompt","message":"No."}}"#)
        #expect(invalid.error?.isTransient == false)

        let incomplete = try decode(#"{"id":"r","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[]}"#)
        #expect(incomplete.status == .incomplete)
        #expect(incomplete.incompleteReason == .maxOutputTokens)
        let filtered = try decode(#"{"id":"r","status":"incomplete","incomplete_details":{"reason":"content_filter"}}"#)
        #expect(filtered.incompleteReason == .contentFilter)
        let future = try decode(#"{"id":"r","status":"incomplete","incomplete_details":{"reason":"time_budget"}}"#)
        #expect(future.incompleteReason == .other("time_budget"))
    }

    @Test func unknownStatusIsToleratedAndNotTerminal() throws {
        let response = try decode(#"{"id":"r","status":"paused_for_review","output":null,"metadata":null}"#)
        #expect(response.status == .unknown("paused_for_review"))
        #expect(response.status.rawValue == "paused_for_review")
        #expect(!response.isTerminal)
        #expect(response.output.isEmpty)
        #expect(response.metadata == [:])
    }

    @Test func echoedFieldsOfUnexpectedShapeDoNotBreakDecoding() throws {
        let body = #"""
            {"id":"r","status":"completed","instructions":[{"role":"developer","content":"x"}],"created_at":"yesterday",
             "metadata":{"job_id":"j-1","attempt":2,"flag":true,"nested":{"a":1}},"model":null,"max_output_tokens":null,
             "completed_at":null,"future_field":{"deep":[1,2,3]},"frequency_penalty":0.5,"billing":{"payer":"developer"}}
            """#
        let response = try decode(body)
        #expect(response.instructions == nil)
        #expect(response.createdAt == nil)
        #expect(response.metadata == ["job_id": "j-1", "attempt": "2.0", "flag": "true"])
    }

    @Test func missingIdOrStatusIsAnError() {
        let missingID = Data(#"{"status":"completed"}"#.utf8)
        let missingStatus = Data(#"{"id":"r"}"#.utf8)
        #expect(throws: DecodingError.self) { try MantleResponse(json: missingID) }
        #expect(throws: DecodingError.self) { try MantleResponse(json: missingStatus) }
        #expect(throws: (any Error).self) { try MantleResponse(json: Data("not json".utf8)) }
    }

    @Test func statusesRoundTrip() throws {
        for status in [ResponseStatus.queued, .inProgress, .completed, .failed, .incomplete, .cancelled, .unknown("x")] {
            #expect(ResponseStatus(rawValue: status.rawValue) == status)
        }
        for status in [ResponseStatus.completed, .failed, .incomplete, .cancelled] { #expect(status.isTerminal) }
        for status in [ResponseStatus.queued, .inProgress] { #expect(!status.isTerminal) }
    }

    @Test func projectsAndDeletion() throws {
        let project = try JSONDecoder().decode(MantleProject.self, from: Data(RecordedBodies.project.utf8))
        #expect(project.id == "proj_g354l72a9x")
        #expect(project.name == "mantle-samples-foundations")
        #expect(project.status == .active)
        #expect(project.arn == "arn:aws:bedrock-mantle:us-east-1:123456789012:project/proj_g354l72a9x")
        #expect(project.dataRetention == .inherit)
        #expect(project.tags["CostCenter"] == "0000")
        #expect(project.tags.count == 4)
        #expect(project.createdAt == Date(timeIntervalSince1970: 1_787_372_201))

        let list = try JSONDecoder().decode(ListEnvelope<MantleProject>.self, from: Data(RecordedBodies.projectList.utf8))
        #expect(list.data.map(\.id) == ["default", "proj_g354l72a9x"])
        #expect(list.data[1].status == .archived)
        #expect(list.data[1].dataRetention == DataRetentionMode.none)
        #expect(list.data[0].tags == [:])

        let deletion = try JSONDecoder().decode(ResponseDeletion.self, from: Data(RecordedBodies.deleted.utf8))
        #expect(deletion == ResponseDeletion(id: "resp_6786a1bec27481909a17d673315b29f6", deleted: true))
    }
}
