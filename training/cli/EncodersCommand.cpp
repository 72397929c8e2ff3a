// `rdt-trainer encoders`: the encoder report (train/EncoderReport.h) as one JSON line on
// stdout, for the workbench's server check and for a user who wants to know before a run
// whether its SigLIP folder and T5 embeddings will do.
#include "cli/CommandLine.h"
#include "cli/Commands.h"
#include "train/EncoderReport.h"

#include <iostream>

namespace rdt {

int runEncodersCommand(int argc, char **argv)
{
    const CommandLine args(argc, argv,
                           {"config", "dataset", "vision_encoder", "pretrained_vision_encoder_name_or_path",
                            "lang_embeddings", "empty_lang_embed", "lang", "cond_mask_prob"},
                           {"json"});
    EncoderReportRequest request;
    request.config = args.text("config");
    request.dataset = args.text("dataset");
    request.visionEncoder = args.text("vision_encoder", args.text("pretrained_vision_encoder_name_or_path"));
    request.langEmbeddings = args.text("lang_embeddings");
    request.emptyLangEmbed = args.text("empty_lang_embed");
    request.lang = args.text("lang");
    request.condMaskProb = args.real("cond_mask_prob", 0.1);
    std::cout << encoderReport(request).dump() << std::endl;
    return 0;
}

} // namespace rdt
