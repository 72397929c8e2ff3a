// Checkpoint folder layouts: ours (checkpoint-N/{model.safetensors, ema/model.safetensors,
// encoders.safetensors, config.json}) and RDT's accelerate layout (pytorch_model.bin or
// model.safetensors beside ema/model.safetensors, the config in the run).
#include "eval/EvalCheckpoint.h"

#include "model/TrainerError.h"

#include <filesystem>

namespace rdt {
namespace fs = std::filesystem;

EvalCheckpoint locateEvalCheckpoint(const std::string &folder, const std::string &weights)
{
    const fs::path dir = fs::path(folder).lexically_normal();
    if (!fs::is_directory(dir))
        throw TrainerError("--checkpoint " + folder + ": no such folder");
    if (weights != "ema" && weights != "raw")
        throw TrainerError("--weights '" + weights + "' is neither ema nor raw");
    EvalCheckpoint c;
    c.folder = folder;
    c.name = (dir.filename().empty() ? dir.parent_path() : dir).filename().string();
    c.weights = weights;
    c.run_folder = (dir.filename().empty() ? dir.parent_path() : dir).parent_path().string();
    if (weights == "ema") {
        if (fs::is_regular_file(dir / "ema" / "model.safetensors"))
            c.weights_file = (dir / "ema" / "model.safetensors").string();
    } else {
        for (const char *name : {"model.safetensors", "pytorch_model.bin"}) {
            if (c.weights_file.empty() && fs::is_regular_file(dir / name))
                c.weights_file = (dir / name).string();
        }
    }
    if (c.weights_file.empty()) {
        throw TrainerError("--checkpoint " + folder + " has no " +
                           (weights == "ema" ? std::string("EMA weights (ema/model.safetensors); --weights raw reads "
                                                           "model.safetensors or pytorch_model.bin")
                                             : std::string("raw weights (model.safetensors or pytorch_model.bin); "
                                                           "--weights ema reads ema/model.safetensors")));
    }
    if (fs::is_regular_file(dir / "encoders.safetensors"))
        c.encoders_file = (dir / "encoders.safetensors").string();
    if (fs::is_regular_file(dir / "config.json"))
        c.config_file = (dir / "config.json").string();
    else if (fs::is_regular_file(fs::path(c.run_folder) / "run.yaml"))
        c.config_file = (fs::path(c.run_folder) / "run.yaml").string();
    else
        throw TrainerError("--checkpoint " + folder + " has no config.json, and its run folder " + c.run_folder +
                           " no run.yaml: the model's size is unknown");
    return c;
}

} // namespace rdt
