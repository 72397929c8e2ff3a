// RDT's language-embedding files as Python's torch.save writes them: encode_lang.py dicts
// (a file or a folder of them), encode_lang_batch.py's bare tensors beside their json,
// the bare empty_lang_embed.pt, our safetensors map; and the clear refusals of files that
// do not say whose embedding they hold.
#include "model/LanguageEncoder.h"
#include "support_trainer_paths.h"
#include "train/LanguageEmbeddingFiles.h"
#include "weights/SafetensorsFile.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <functional>
#include <map>

using namespace rdt;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kDim = 16;

std::string errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const std::exception &error) {
        return error.what();
    }
    return "";
}

std::map<std::string, torch::Tensor> asMap(const NamedTensors &tensors)
{
    std::map<std::string, torch::Tensor> m;
    for (const auto &[k, v] : tensors)
        m[k] = v;
    return m;
}

class LangEmbeddings : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const std::string python = trainertest::pythonWithTorch();
        if (python.empty())
            return;
        s_folder = trainertest::scratchFolder("lang_embeddings");
        std::string output;
        s_ready = trainertest::runCommand(python + " " +
                                              trainertest::shellQuote(trainertest::referenceScript("make_lang_fixture.py")) +
                                              " " + trainertest::shellQuote(s_folder) + " " + std::to_string(kDim),
                                          output) == 0;
        EXPECT_TRUE(s_ready) << output;
        if (s_ready)
            s_expected = asMap(readSafetensors(s_folder + "/expected.safetensors").tensors);
    }

    void SetUp() override
    {
        if (!s_ready)
            GTEST_SKIP() << "python3-torch is not installed (scripts/setup installs it)";
    }

    static inline std::string s_folder;
    static inline bool s_ready = false;
    static inline std::map<std::string, torch::Tensor> s_expected;
};

} // namespace

TEST_F(LangEmbeddings, EncodeLangDictLoadsToTheSameTensor)
{
    // One file: its instruction (without the final period RDT strips) maps to [L, D], exactly
    // the tensor Python saved, in its dtype.
    const auto one = readLanguageEmbeddings(s_folder + "/dict/pick_bowl.pt", "", 0.0);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].first, "pick up the black bowl and place it on the plate");
    EXPECT_EQ(one[0].second.scalar_type(), torch::kBFloat16);
    EXPECT_TRUE(torch::equal(one[0].second, s_expected.at("pick_bowl")));
}

TEST_F(LangEmbeddings, FolderOfDictsWithTheEmptyEmbedding)
{
    const auto all = asMap(readLanguageEmbeddings(s_folder + "/dict", "", 0.1));
    ASSERT_EQ(all.size(), 3u);
    EXPECT_TRUE(torch::equal(all.at("open the top drawer of the cabinet"), s_expected.at("open_drawer")));
    EXPECT_TRUE(torch::equal(all.at("pick up the black bowl and place it on the plate"), s_expected.at("pick_bowl")));
    EXPECT_TRUE(torch::equal(all.at(""), s_expected.at("empty")));

    // The encoder finds an instruction with or without its final period, and "" (a dropped
    // instruction) gets the empty embedding.
    LanguageEncoder encoder(kDim, 32, readLanguageEmbeddings(s_folder + "/dict", "", 0.1));
    const auto [tokens, mask] =
        encoder->forward({"pick up the black bowl and place it on the plate.", "", "open the top drawer of the cabinet"},
                         torch::kCPU);
    ASSERT_EQ(tokens.sizes(), (std::vector<int64_t>{3, 9, kDim}));
    EXPECT_TRUE(torch::equal(tokens[0], s_expected.at("pick_bowl").to(torch::kFloat32)));
    EXPECT_TRUE(torch::equal(tokens[1].slice(0, 0, 1), s_expected.at("empty").to(torch::kFloat32)));
    EXPECT_EQ(mask[0].sum().item<int64_t>(), 9);
    EXPECT_EQ(mask[1].sum().item<int64_t>(), 1);
    EXPECT_EQ(mask[2].sum().item<int64_t>(), 6);
    const std::string missing = errorOf([&] { encoder->forward({"close the microwave"}, torch::kCPU); });
    EXPECT_NE(missing.find("no entry for instruction 'close the microwave'"), std::string::npos) << missing;
}

TEST_F(LangEmbeddings, EncodeLangBatchOutputIsMatchedThroughItsJson)
{
    const auto all = asMap(readLanguageEmbeddings(s_folder + "/batch", s_folder + "/dict/empty_lang_embed.pt", 0.1));
    ASSERT_EQ(all.size(), 4u);
    EXPECT_TRUE(torch::equal(all.at("stack the red block on the blue block"), s_expected.at("batch_0")));
    EXPECT_TRUE(torch::equal(all.at("stack red on blue"), s_expected.at("batch_1")));
    EXPECT_TRUE(torch::equal(all.at("carefully put the red block on top of the blue one"), s_expected.at("batch_2")));
    EXPECT_TRUE(torch::equal(all.at(""), s_expected.at("empty")));
}

TEST_F(LangEmbeddings, RdtsRealEmptyEmbeddingAndTheSafetensorsMap)
{
    const std::string folder = trainertest::scratchFolder("lang_embeddings_map");
    writeSafetensors(folder + "/lang.safetensors", {{"put the bowl on the plate", torch::ones({3, 4096})}});
    const auto all = asMap(readLanguageEmbeddings(folder + "/lang.safetensors",
                                                  trainertest::trainerTestData("rdt_empty_lang_embed.pt"), 0.1));
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all.at("").sizes(), (std::vector<int64_t>{1, 4096}));
    EXPECT_TRUE(torch::equal(all.at("put the bowl on the plate"), torch::ones({3, 4096})));
}

TEST_F(LangEmbeddings, FilesThatDoNotSayWhoseEmbeddingAreRefused)
{
    std::string message = errorOf([] { readLanguageEmbeddings(s_folder + "/bare", "", 0.0); });
    EXPECT_NE(message.find("orphan.pt is a bare tensor and nothing names its instruction"), std::string::npos) << message;
    message = errorOf([] { readLanguageEmbeddings(s_folder + "/bad/wrong_dict.pt", "", 0.0); });
    EXPECT_NE(message.find("wrong_dict.pt is a dict without a string 'instruction' and a tensor 'embeddings'"),
              std::string::npos) << message;
    message = errorOf([] { readLanguageEmbeddings(s_folder + "/dict/pick_bowl.pt", "", 0.1); });
    EXPECT_NE(message.find("has no entry \"\" for a dropped instruction"), std::string::npos) << message;
    message = errorOf([] { readLanguageEmbeddings(s_folder + "/nowhere", "", 0.0); });
    EXPECT_NE(message.find("nowhere does not exist"), std::string::npos) << message;
    // Two files that disagree about one instruction.
    const std::string folder = trainertest::scratchFolder("lang_embeddings_clash");
    fs::copy_file(s_folder + "/dict/open_drawer.pt", folder + "/a.pt");
    writeSafetensors(folder + "/b.safetensors", {{"open the top drawer of the cabinet", torch::zeros({6, kDim})}});
    message = errorOf([&] { readLanguageEmbeddings(folder, "", 0.0); });
    EXPECT_NE(message.find("hold different embeddings for the instruction 'open the top drawer of the cabinet'"),
              std::string::npos) << message;
    // A width the model does not take is refused when the encoder is built.
    message = errorOf([] { LanguageEncoder(32, 32, readLanguageEmbeddings(s_folder + "/dict/pick_bowl.pt", "", 0.0)); });
    EXPECT_NE(message.find("must be [L, 32]"), std::string::npos) << message;
}
