/// Answer bodies recorded in `shared/mantle-api.md`, byte for byte where the reference gives them
/// whole, and filled in only where it abridges them with "…" (noted per body).
enum RecordedBodies {
    /// §3 "Completed example (abridged from [SPEC])", with the Mantle-only extras seen on the wire
    /// (`billing`, `frequency_penalty`, §3) and Mantle's recorded usage object added; the "…" of the
    /// ids and the text are filled in.
    static let completed = #"""
        {"id":"resp_67cb71b351908190a308f3859487620d06981a8637e6bc44","object":"response","created_at":1741386163,"status":"completed","completed_at":1741386164,
         "background":false,"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,
         "model":"gpt-4o-2024-08-06",
         "output":[{"type":"message","id":"msg_67cb71b3c2b0819084d481baaaf148f206981a8637e6bc44","status":"completed","role":"assistant",
                    "content":[{"type":"output_text","text":"Silent circuits hum,\nThoughts emerge in data streams—\nDigital dawn breaks.","annotations":[]}]}],
         "previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,
         "text":{"format":{"type":"text"}},"usage":{"input_tokens":32,"input_tokens_details":{"cached_tokens":0,"cache_write_tokens":0},
         "output_tokens":18,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":50},"metadata":{},
         "billing":{"payer":"developer"},"frequency_penalty":0.0}
        """#

    /// §3 Mantle's usage object from `01-openai-gpt/01`, verbatim.
    static let mantleUsage = #"""
        {"input_tokens":17,"input_tokens_details":{"cache_write_tokens":0,"cached_tokens":0},"output_tokens":39,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":56}
        """#

    /// §3 queued answer of a background create (prism-php/prism#590), its trailing "…" dropped.
    static let queued = #"""
        {"id":"resp_abc123xyz","object":"response","created_at":1756644282,"status":"queued","background":true,"error":null,"output":[],"store":true}
        """#

    /// §3/§4: on Mantle the create answered `in_progress`; the same body with that status and the
    /// request fields echoed, `usage` null until the Response finishes.
    static let inProgress = #"""
        {"id":"resp_0a1b2c3d4e5f","object":"response","created_at":1787372201.52,"status":"in_progress","background":true,
         "error":null,"incomplete_details":null,"instructions":"Summarise the document in 5 bullet points.",
         "max_output_tokens":2000,"model":"openai.gpt-oss-120b","output":[],"store":true,"usage":null,
         "metadata":{"job_id":"j-123","doc_id":"d-456"},"reasoning":{"effort":"low","summary":null},
         "text":{"format":{"type":"text"}},"billing":{"payer":"developer"},"service_tier":"default"}
        """#

    /// §4 cancel: the full Response with `"status":"cancelled"` and `usage` null ([SPEC] cancel example).
    static let cancelled = #"""
        {"id":"resp_67cb71b351908190a308f3859487620d06981a8637e6bc44","object":"response","created_at":1741386163,
         "status":"cancelled","background":true,"error":null,"incomplete_details":null,"instructions":null,
         "max_output_tokens":null,"model":"openai.gpt-oss-120b","output":[],"parallel_tool_calls":true,
         "previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,
         "text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled",
         "usage":null,"user":null,"metadata":{}}
        """#

    /// §4 delete answer ([SPEC]).
    static let deleted = #"{"id":"resp_6786a1bec27481909a17d673315b29f6","object":"response","deleted":true}"#

    /// §6 project object from `00-foundations/02`, the id's "…" filled in.
    static let project = #"""
        {"arn":"arn:aws:bedrock-mantle:us-east-1:123456789012:project/proj_g354l72a9x","created_at":1787372201,
         "data_retention":{"mode":"inherit"},"id":"proj_g354l72a9x","name":"mantle-samples-foundations",
         "object":"organization.project","status":"active",
         "tags":{"Owner":"SampleReader","Application":"MantleSamples","Environment":"Demo","CostCenter":"0000"}}
        """#

    /// §6 list: `{"data":[{id,name,status,data_retention:{mode}}…]}` with the default project.
    static let projectList = #"""
        {"data":[{"id":"default","name":"default","status":"active","data_retention":{"mode":"inherit"}},
                 {"id":"proj_g354l72a9x","name":"mantle-samples-foundations","status":"archived","data_retention":{"mode":"none"}}]}
        """#

    /// §5: bedrock-runtime's answer to an unknown path, with status 200.
    static let bedrockRuntimeUnknownOperation =
        #"{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}"#
}
