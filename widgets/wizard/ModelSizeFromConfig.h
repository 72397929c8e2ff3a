// The estimates' model size read from the chosen pretrained model itself: its config.json
// (the Hugging Face layout of rdt-1b: config.rdt.hidden_size and depth, img_cond_len,
// max_lang_cond_len, pred_horizon, img_token_dim) and, when it has a model.safetensors, the
// exact parameter count from that file's header. So the sandbox's 4.6 MiB model is not
// estimated as RDT-1B; the page's picker stays as an override.
#pragma once

#include "TrainingSettings.h"

#include <optional>

namespace rdt {

class ModelSizeFromConfig {
public:
    // `model`: the local model folder, or a weights file in it. nullopt with *problem set
    // when there is no readable config.json of that layout.
    static std::optional<ModelSize> read(const QString &model, QString *problem);
    // Parameters in a safetensors file, from its JSON header alone; -1 when unreadable.
    static qint64 safetensorsParameters(const QString &file);
};

} // namespace rdt
