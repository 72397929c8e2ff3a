// What a run's conditioning would find on this machine, without training: whether the
// SigLIP folder and the T5 language embeddings are there, have the shapes the model takes,
// and cover every instruction of the dataset. `rdt-trainer encoders` prints it as JSON for
// the workbench's server check, so the check reads the files with the trainer's own readers.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rdt {

struct EncoderReportRequest {
    std::string config;          // RDT base.yaml or config.json: the shapes expected; empty: RDT-1B's
    std::string dataset;         // LIBERO file or folder: the instructions to cover; empty: none
    std::string visionEncoder;   // a SigLIP folder; empty: the Hugging Face cache's; "patch": the stand-in
    std::string langEmbeddings;  // encode_lang.py file(s) or our safetensors map; empty: none
    std::string emptyLangEmbed;  // RDT's empty_lang_embed.pt
    std::string lang;            // "learned": the stand-in
    double condMaskProb = 0.1;   // > 0 needs the empty embedding
};

// {"vision": {"state": "ok|missing|wrong|stand-in", "folder", "source": "flag|hf-cache",
//             "tokens", "hidden", "expected_tokens", "expected_hidden", "message"},
//  "language": {"state": "ok|missing|incomplete|wrong|stand-in", "path", "entries", "dim",
//               "expected_dim", "instructions", "missing": [...], "has_empty", "message"}}
// A file that cannot be read is a state with its reason, never an exception; only an
// unreadable --config or --dataset throws TrainerError.
nlohmann::ordered_json encoderReport(const EncoderReportRequest &request);

} // namespace rdt
