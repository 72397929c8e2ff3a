// `rdt-trainer encoders`' report, on real files: a tiny random SigLIP folder written by
// transformers' layout (siglip_reference.py) and encode_lang.py dicts written by Python's
// torch.save. Found and shaped, found in the Hugging Face cache, the wrong shape for the
// model, an instruction without an embedding, a file that is not RDT's, nothing given.
#include "support_libero_fixture.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"
#include "model/RdtConfig.h"
#include "train/EncoderReport.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace rdt;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kLangDim = 16;

class EncoderReportTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const std::string python = trainertest::pythonWithTorch();
        if (python.empty())
            return;
        s_folder = trainertest::scratchFolder("encoder_report");
        std::string output;
        s_ready = trainertest::runCommand(
                      python + " " + trainertest::shellQuote(trainertest::referenceScript("siglip_reference.py")) +
                          " make " + s_folder + "/siglip --hidden 24 --heads 4 --mlp 40 --image 16 --patch 8 && " +
                          python + " " + trainertest::shellQuote(trainertest::referenceScript("make_lang_fixture.py")) +
                          " " + s_folder + "/lang " + std::to_string(kLangDim),
                      output) == 0;
        EXPECT_TRUE(s_ready) << output;
        if (!s_ready)
            return;
        fixture::LiberoFixture libero;
        libero.demo_steps = {20, 20};
        libero.instruction = "open the top drawer of the cabinet";
        fs::create_directories(s_folder + "/covered");
        fixture::writeLiberoFixture(s_folder + "/covered/drawer.hdf5", libero);
        // A second task whose instruction has no embedding.
        fs::create_directories(s_folder + "/uncovered");
        fixture::writeLiberoFixture(s_folder + "/uncovered/drawer.hdf5", libero);
        libero.instruction = "stack the two blocks";
        fixture::writeLiberoFixture(s_folder + "/uncovered/stack.hdf5", libero);
        RdtConfig config = trainertest::tinyConfig(2, 4);
        config.lang_token_dim = kLangDim;
        std::ofstream(s_folder + "/tiny.yaml") << rdtConfigToBaseYaml(config);
    }

    void SetUp() override
    {
        if (!s_ready)
            GTEST_SKIP() << "python3-torch is not installed (scripts/setup installs it)";
    }

    static EncoderReportRequest request()
    {
        EncoderReportRequest r;
        r.config = s_folder + "/tiny.yaml";
        r.dataset = s_folder + "/covered";
        r.visionEncoder = s_folder + "/siglip";
        r.langEmbeddings = s_folder + "/lang/dict";
        return r;
    }

    static inline std::string s_folder;
    static inline bool s_ready = false;
};

} // namespace

TEST_F(EncoderReportTest, FoundAndShapedForTheModel)
{
    const auto report = encoderReport(request());
    EXPECT_EQ(report["vision"]["state"], "ok") << report.dump();
    EXPECT_EQ(report["vision"]["tokens"], 4);
    EXPECT_EQ(report["vision"]["hidden"], 24);
    EXPECT_EQ(report["vision"]["source"], "flag");
    EXPECT_EQ(report["language"]["state"], "ok") << report.dump();
    EXPECT_EQ(report["language"]["dim"], kLangDim);
    EXPECT_EQ(report["language"]["instructions"], 1);
    EXPECT_TRUE(report["language"]["missing"].empty());
    EXPECT_TRUE(report["language"]["has_empty"].get<bool>());
}

TEST_F(EncoderReportTest, TheHuggingFaceCacheIsSearchedWhenNoFolderIsGiven)
{
    // The hub layout: models--ORG--NAME/{refs/main, snapshots/REVISION/...}.
    const fs::path hub = s_folder + "/hub";
    const fs::path repo = hub / "models--google--siglip-so400m-patch14-384";
    fs::create_directories(repo / "refs");
    fs::remove_all(repo / "snapshots");
    fs::create_directories(repo / "snapshots");
    fs::copy(s_folder + "/siglip", repo / "snapshots" / "0123abc", fs::copy_options::recursive);
    std::ofstream(repo / "refs" / "main") << "0123abc";
    ASSERT_EQ(setenv("HF_HUB_CACHE", hub.c_str(), 1), 0);
    EncoderReportRequest r = request();
    r.visionEncoder.clear();
    const auto report = encoderReport(r);
    unsetenv("HF_HUB_CACHE");
    EXPECT_EQ(report["vision"]["state"], "ok") << report.dump();
    EXPECT_EQ(report["vision"]["source"], "hf-cache");
    EXPECT_EQ(report["vision"]["folder"], (repo / "snapshots" / "0123abc").string());
}

TEST_F(EncoderReportTest, ShapesOtherThanTheModelsAreWrong)
{
    // Without --config the shapes are RDT-1B's: 729 x 1152 image tokens, T5-XXL's 4096.
    EncoderReportRequest r = request();
    r.config.clear();
    const auto report = encoderReport(r);
    EXPECT_EQ(report["vision"]["state"], "wrong");
    EXPECT_NE(report["vision"]["message"].get<std::string>().find("4 tokens x 24"), std::string::npos) << report.dump();
    EXPECT_NE(report["vision"]["message"].get<std::string>().find("729 x 1152"), std::string::npos);
    EXPECT_EQ(report["language"]["state"], "wrong");
    EXPECT_NE(report["language"]["message"].get<std::string>().find("width 16"), std::string::npos) << report.dump();
}

TEST_F(EncoderReportTest, AnInstructionWithoutEmbeddingIsNamed)
{
    EncoderReportRequest r = request();
    r.dataset = s_folder + "/uncovered";
    const auto report = encoderReport(r);
    EXPECT_EQ(report["language"]["state"], "incomplete") << report.dump();
    EXPECT_EQ(report["language"]["instructions"], 2);
    ASSERT_EQ(report["language"]["missing"].size(), 1u);
    EXPECT_EQ(report["language"]["missing"][0], "stack the two blocks");
    EXPECT_NE(report["language"]["message"].get<std::string>().find("1 of 2"), std::string::npos);
}

TEST_F(EncoderReportTest, FilesThatAreNotRdtsSayWhy)
{
    EncoderReportRequest r = request();
    r.langEmbeddings = s_folder + "/lang/bad/wrong_dict.pt";
    fs::create_directories(s_folder + "/not-siglip");
    std::ofstream(s_folder + "/not-siglip/config.json") << "{\"vision_config\": {\"hidden_size\": \"wide\"}}";
    r.visionEncoder = s_folder + "/not-siglip";
    const auto report = encoderReport(r);
    EXPECT_EQ(report["vision"]["state"], "wrong") << report.dump();
    EXPECT_NE(report["vision"]["message"].get<std::string>().find("not-siglip"), std::string::npos);
    EXPECT_EQ(report["language"]["state"], "wrong") << report.dump();
    EXPECT_NE(report["language"]["message"].get<std::string>().find("wrong_dict.pt"), std::string::npos);
}

TEST_F(EncoderReportTest, NothingGivenIsMissingAndStandInsAreSaid)
{
    EncoderReportRequest r = request();
    r.visionEncoder = s_folder + "/no-such-folder";
    r.langEmbeddings.clear();
    auto report = encoderReport(r);
    EXPECT_EQ(report["vision"]["state"], "missing");
    EXPECT_EQ(report["language"]["state"], "missing");
    r.visionEncoder = "patch";
    r.lang = "learned";
    report = encoderReport(r);
    EXPECT_EQ(report["vision"]["state"], "stand-in");
    EXPECT_EQ(report["language"]["state"], "stand-in");
}
