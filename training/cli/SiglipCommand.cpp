// `rdt-trainer siglip`: the SigLIP vision tower alone, as `forward` is for RDT, so its
// features can be checked against transformers' and inspected. IN holds `images` (uint8
// [N, H, W, 3], any size, prepared as RDT does) or `pixel_values` (float32 [N, 3, S, S],
// used as given); OUT gets `last_hidden_state` (float32 [N, tokens, hidden]) and, for
// images, the `pixel_values` they became.
#include "cli/CommandLine.h"
#include "cli/Commands.h"
#include "model/TrainerError.h"
#include "vision/SiglipImageProcessor.h"
#include "vision/SiglipLoader.h"
#include "weights/SafetensorsFile.h"

#include <torch/torch.h>

#include <iostream>

namespace rdt {

int runSiglipCommand(int argc, char **argv)
{
    const CommandLine args(argc, argv, {"model", "images", "out", "device"}, {});
    const std::string model = args.required("model"), in = args.required("images"), out = args.required("out");
    const torch::Device device(args.text("device", "cpu"));
    if (device.is_cuda() && !torch::cuda::is_available())
        throw TrainerError("siglip: --device " + args.text("device") + ": CUDA is not available");
    LoadedSiglip loaded = loadSiglipFolder(model);
    const SiglipImageProcessor processor(loaded.processor);
    loaded.tower->to(device);

    torch::Tensor images, pixels;
    const SafetensorsContents inputs = readSafetensors(in);
    for (const auto &[name, tensor] : inputs.tensors) {
        if (name == "images")
            images = tensor;
        else if (name == "pixel_values")
            pixels = tensor;
    }
    if (images.defined() == pixels.defined())
        throw TrainerError("siglip: " + in + " must hold exactly one of 'images' (uint8 [N,H,W,3]) and "
                           "'pixel_values' (float32 [N,3,S,S])");
    torch::Tensor preprocessed;
    if (images.defined()) {
        if (images.dim() != 4 || images.size(3) != 3 || images.scalar_type() != torch::kUInt8)
            throw TrainerError("siglip: " + in + ": 'images' is " + std::string(c10::toString(images.scalar_type())) +
                               " " + c10::str(images.sizes()) + ", not uint8 [N, H, W, 3]");
        pixels = processor.preprocess(images.permute({0, 3, 1, 2}).to(device));
        preprocessed = pixels.cpu();
    }
    torch::NoGradGuard noGrad;
    const torch::Tensor features = loaded.tower->forward(pixels.to(device, torch::kFloat32));
    NamedTensors result{{"last_hidden_state", features.to(torch::kFloat32).cpu()}};
    if (preprocessed.defined())
        result.emplace_back("pixel_values", preprocessed);
    writeSafetensors(out, result);
    std::cout << "siglip: " << features.size(0) << " images -> last_hidden_state " << features.sizes() << "\n";
    return 0;
}

} // namespace rdt
