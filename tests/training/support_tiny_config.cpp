// Tiny configurations for the trainer tests.
#include "support_tiny_config.h"

#include <fstream>

namespace rdt::trainertest {

RdtConfig tinyConfig(int64_t depth, int64_t patchesPerImage)
{
    RdtConfig c;
    c.hidden_size = 64;
    c.depth = depth;
    c.num_heads = 4;
    c.lang_token_dim = 32;
    c.img_token_dim = 24;
    c.max_lang_cond_len = 16;
    c.img_num_patches = patchesPerImage;
    return c;
}

void writeTinyConfigYaml(const std::string &path, int64_t depth, int64_t patchesPerImage)
{
    std::ofstream(path) << rdtConfigToBaseYaml(tinyConfig(depth, patchesPerImage));
}

} // namespace rdt::trainertest
