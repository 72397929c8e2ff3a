// The model's structure and configuration: official parameter names and shapes, both
// RMSNorm formulas, config files in both layouts and their validation, attention masking,
// and gradient checkpointing giving the gradients of the plain backward pass.
#include "model/ImageEncoder.h"
#include "model/LanguageEncoder.h"
#include "model/RdtRunner.h"
#include "model/RmsNorm.h"
#include "model/TimestepEmbedder.h"
#include "support_tiny_config.h"
#include "train/AutocastGuard.h"
#include "support_trainer_paths.h"
#include "weights/WeightsLoader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>

using namespace rdt;

namespace {

std::map<std::string, std::vector<int64_t>> shapes(RdtRunner &runner)
{
    std::map<std::string, std::vector<int64_t>> result;
    for (const auto &[name, t] : stateDictOf(*runner))
        result[name] = t.sizes().vec();
    return result;
}

std::string errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const std::exception &error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST(Model, ParameterNamesAndShapesAreTheOfficialOnes)
{
    RdtRunner runner(trainertest::tinyConfig(2));
    const auto s = shapes(runner);
    const int64_t H = 64;
    const std::map<std::string, std::vector<int64_t>> expected = {
        {"model.x_pos_embed", {1, 67, H}},
        {"model.lang_cond_pos_embed", {1, 16, H}},
        {"model.img_cond_pos_embed", {1, 24, H}},
        {"model.t_embedder.mlp.0.weight", {H, 256}}, {"model.t_embedder.mlp.0.bias", {H}},
        {"model.t_embedder.mlp.2.weight", {H, H}}, {"model.t_embedder.mlp.2.bias", {H}},
        {"model.freq_embedder.mlp.0.weight", {H, 256}}, {"model.freq_embedder.mlp.2.bias", {H}},
        {"model.blocks.1.norm1.weight", {H}}, {"model.blocks.1.norm2.weight", {H}}, {"model.blocks.1.norm3.weight", {H}},
        {"model.blocks.0.attn.qkv.weight", {3 * H, H}}, {"model.blocks.0.attn.qkv.bias", {3 * H}},
        {"model.blocks.0.attn.q_norm.weight", {16}}, {"model.blocks.0.attn.k_norm.weight", {16}},
        {"model.blocks.0.attn.proj.weight", {H, H}}, {"model.blocks.0.attn.proj.bias", {H}},
        {"model.blocks.1.cross_attn.q.weight", {H, H}}, {"model.blocks.1.cross_attn.q.bias", {H}},
        {"model.blocks.1.cross_attn.kv.weight", {2 * H, H}}, {"model.blocks.1.cross_attn.kv.bias", {2 * H}},
        {"model.blocks.1.cross_attn.q_norm.weight", {16}}, {"model.blocks.1.cross_attn.k_norm.weight", {16}},
        {"model.blocks.1.cross_attn.proj.weight", {H, H}},
        {"model.blocks.0.ffn.fc1.weight", {H, H}}, {"model.blocks.0.ffn.fc2.bias", {H}},
        {"model.final_layer.norm_final.weight", {H}},
        {"model.final_layer.ffn_final.fc1.weight", {H, H}}, {"model.final_layer.ffn_final.fc2.weight", {128, H}},
        {"model.final_layer.ffn_final.fc2.bias", {128}},
        {"lang_adaptor.0.weight", {H, 32}}, {"lang_adaptor.2.weight", {H, H}}, {"lang_adaptor.2.bias", {H}},
        {"img_adaptor.0.weight", {H, 24}}, {"img_adaptor.2.bias", {H}},
        {"state_adaptor.0.weight", {H, 256}}, {"state_adaptor.2.weight", {H, H}}, {"state_adaptor.4.weight", {H, H}},
        {"state_adaptor.4.bias", {H}},
    };
    for (const auto &[name, shape] : expected) {
        ASSERT_TRUE(s.count(name)) << "missing " << name;
        EXPECT_EQ(s.at(name), shape) << name;
    }
    // Per block: 3 norms + attn (qkv w,b, q_norm, k_norm, proj w,b) + cross (q, kv, proj w,b,
    // 2 norms) + ffn (4) = 3 + 6 + 8 + 4 = 21. Model: 3 tables + 2 x 4 embedder + 21 depth +
    // final (1 + 4). Adaptors: 4 + 4 + 6.
    EXPECT_EQ(s.size(), 3u + 8u + 21u * 2u + 5u + 14u);
}

TEST(Model, InitialisationFollowsTheOfficialScheme)
{
    torch::manual_seed(0);
    RdtRunner runner(trainertest::tinyConfig(2));
    auto &final = runner->model->final_layer->ffn_final->fc2;
    EXPECT_EQ(final->weight.abs().sum().item<float>(), 0.0f);
    EXPECT_EQ(runner->model->blocks->ptr<RdtBlockImpl>(0)->attn->qkv->bias.abs().sum().item<float>(), 0.0f);
    // xavier-uniform bound sqrt(6 / (fan_in + fan_out)) for qkv (64 -> 192).
    const float bound = std::sqrt(6.0f / (64 + 192));
    EXPECT_LE(runner->model->blocks->ptr<RdtBlockImpl>(0)->attn->qkv->weight.abs().max().item<float>(), bound);
    const float std = runner->model->t_embedder->mlp[0]->as<torch::nn::Linear>()->weight.std().item<float>();
    EXPECT_NEAR(std, 0.02, 0.002);
    // Language tokens get no position inside the sequence: every row equal, [0.., 1..].
    const torch::Tensor lang = runner->model->lang_cond_pos_embed[0];
    EXPECT_TRUE(torch::equal(lang[0], lang[15]));
    EXPECT_EQ(lang[0].slice(0, 0, 32).abs().sum().item<float>(), 0.0f);
    EXPECT_EQ(lang[0].slice(0, 32).sum().item<float>(), 32.0f);
}

TEST(Model, RmsNormTimmVarianceAndTrueRms)
{
    const torch::Tensor x = torch::tensor({{1.0f, 2.0f, 3.0f, 6.0f}});
    RmsNorm timm(4, RmsNormKind::TimmVariance);
    RmsNorm rms(4, RmsNormKind::TrueRms);
    // mean 3, unbiased variance (4 + 1 + 0 + 9) / 3 = 14/3; mean of squares 50/4.
    EXPECT_TRUE(torch::allclose(timm(x), x / std::sqrt(14.0 / 3.0 + 1e-6)));
    EXPECT_TRUE(torch::allclose(rms(x), x / std::sqrt(12.5 + 1e-6)));
}

TEST(Model, TimestepSinusoidIsCosThenSin)
{
    const torch::Tensor e = TimestepEmbedderImpl::timestepEmbedding(torch::tensor({20.0f}), 256);
    EXPECT_NEAR(e[0][0].item<float>(), std::cos(20.0f), 1e-6);
    EXPECT_NEAR(e[0][128].item<float>(), std::sin(20.0f), 1e-6);
    // freqs_i = exp(-ln(10000) * i / 128)
    EXPECT_NEAR(e[0][1].item<float>(), std::cos(20.0f * std::exp(-std::log(10000.0f) / 128.0f)), 1e-5);
}

TEST(Model, ReadsBaseYamlAndHuggingFaceConfigJson)
{
    const std::string folder = trainertest::scratchFolder("model_config");
    // RDT's own configs/base.yaml numbers.
    std::ofstream(folder + "/base.yaml") << "common:\n  img_history_size: 2\n  action_chunk_size: 64\n  num_cameras: 3\n"
                                            "  state_dim: 128\ndataset:\n  tokenizer_max_length: 1024\nmodel:\n"
                                            "  lang_adaptor: mlp2x_gelu\n  img_adaptor: mlp2x_gelu\n"
                                            "  state_adaptor: mlp3x_gelu\n  lang_token_dim: 4096\n  img_token_dim: 1152\n"
                                            "  state_token_dim: 128\n  rdt:\n    hidden_size: 2048\n    depth: 28\n"
                                            "    num_heads: 32\n    cond_pos_embed_type: multimodal\n"
                                            "  noise_scheduler:\n    type: ddpm\n    num_train_timesteps: 1000\n"
                                            "    num_inference_timesteps: 5\n    beta_schedule: squaredcos_cap_v2\n"
                                            "    prediction_type: sample\n    clip_sample: False\n"
                                            "  ema:\n    update_after_step: 0\n    inv_gamma: 1.0\n    power: 0.75\n"
                                            "    min_value: 0.0\n    max_value: 0.9999\n";
    const RdtConfig base = loadRdtConfig(folder + "/base.yaml");
    EXPECT_EQ(base.hidden_size, 2048);
    EXPECT_EQ(base.depth, 28);
    EXPECT_EQ(base.imgCondLen(), 4374);
    EXPECT_EQ(base.rms_norm, RmsNormKind::TimmVariance);
    // rdt-170m's config.json as the hub mixin writes it (RDTRunner's constructor kwargs).
    nlohmann::json hf = rdtConfigToHfJson(base);
    hf["config"]["rdt"]["hidden_size"] = 1024;
    hf["config"]["rdt"]["depth"] = 14;
    hf.erase("rdt_trainer");
    std::ofstream(folder + "/config.json") << hf.dump(2);
    const RdtConfig small = loadRdtConfig(folder);
    EXPECT_EQ(small.hidden_size, 1024);
    EXPECT_EQ(small.depth, 14);
    EXPECT_EQ(small.img_num_patches, 729);
    EXPECT_EQ(small.max_lang_cond_len, 1024);
    EXPECT_EQ(hf["img_pos_embed_config"].dump(), "[[\"image\",[2,3,-729]]]");
    EXPECT_EQ(hf["lang_pos_embed_config"].dump(), "[[\"lang\",-1024]]");
    EXPECT_FALSE(hf.contains("dtype")); // the hub mixin would pass it to RDTRunner as a string
    // Our extension survives a round trip, and only appears when it departs from timm.
    RdtConfig trueRms = base;
    trueRms.rms_norm = RmsNormKind::TrueRms;
    EXPECT_EQ(rdtConfigFromHfJson(rdtConfigToHfJson(trueRms), "round trip").rms_norm, RmsNormKind::TrueRms);
    EXPECT_FALSE(rdtConfigToHfJson(base).contains("rdt_trainer"));
}

TEST(Model, BadConfigValuesNameTheKeyAndTheFile)
{
    const std::string folder = trainertest::scratchFolder("model_bad_config");
    std::ofstream(folder + "/heads.yaml") << "model:\n  rdt:\n    hidden_size: 64\n    num_heads: 5\n";
    std::string message = errorOf([&] { loadRdtConfig(folder + "/heads.yaml"); });
    EXPECT_NE(message.find("num_heads (5) does not divide model.rdt.hidden_size (64)"), std::string::npos) << message;
    EXPECT_NE(message.find(folder + "/heads.yaml"), std::string::npos) << message;
    std::ofstream(folder + "/type.yaml") << "model:\n  rdt:\n    depth: many\n";
    message = errorOf([&] { loadRdtConfig(folder + "/type.yaml"); });
    EXPECT_NE(message.find("model.rdt.depth"), std::string::npos) << message;
    std::ofstream(folder + "/adaptor.yaml") << "model:\n  img_adaptor: mlp2x_relu\n";
    message = errorOf([&] { loadRdtConfig(folder + "/adaptor.yaml"); });
    EXPECT_NE(message.find("model.img_adaptor"), std::string::npos) << message;
    message = errorOf([&] { loadRdtConfig(folder + "/absent.yaml"); });
    EXPECT_NE(message.find("no such file"), std::string::npos) << message;
}

TEST(Model, LanguageMaskHidesPaddedTokens)
{
    torch::manual_seed(3);
    RdtRunner runner(trainertest::tinyConfig(2));
    for (auto &p : runner->parameters())
        p.data().add_(0.05 * torch::randn_like(p));
    runner->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor lang = torch::randn({1, 5, 32});
    torch::Tensor mask = torch::ones({1, 5}, torch::kBool);
    mask[0][4] = false;
    const auto call = [&](const torch::Tensor &l) {
        return runner->denoise(l, mask, torch::randn({1, 24, 24}, torch::Generator(at::detail::createCPUGenerator(1))),
                               torch::zeros({1, 1, 128}), torch::zeros({1, 64, 128}), torch::ones({1, 1, 128}),
                               torch::tensor({500}), torch::tensor({20.0f}));
    };
    torch::Tensor changed = lang.clone();
    changed[0][4] = 100.0; // a masked token: no effect
    EXPECT_TRUE(torch::allclose(call(lang), call(changed)));
    changed[0][0] = 100.0; // a valid token: an effect
    EXPECT_FALSE(torch::allclose(call(lang), call(changed)));
}

TEST(Model, GradientCheckpointingGivesTheSameGradients)
{
    torch::manual_seed(5);
    RdtRunner plain(trainertest::tinyConfig(4));
    RdtRunner checkpointed(trainertest::tinyConfig(4));
    {
        torch::NoGradGuard noGrad;
        auto a = plain->parameters(), b = checkpointed->parameters();
        for (size_t i = 0; i < a.size(); ++i) {
            a[i].add_(0.05 * torch::randn_like(a[i]));
            b[i].copy_(a[i]);
        }
    }
    checkpointed->model->setGradientCheckpointing(true);
    const torch::Tensor lang = torch::randn({2, 3, 32}), img = torch::randn({2, 24, 24}), state = torch::randn({2, 1, 128});
    const torch::Tensor noisy = torch::randn({2, 64, 128}), target = torch::randn({2, 64, 128});
    for (RdtRunner *r : {&plain, &checkpointed}) {
        const torch::Tensor pred = (*r)->denoise(lang, std::nullopt, img, state, noisy, torch::ones({2, 1, 128}),
                                                 torch::tensor({3, 900}), torch::tensor({20.0f, 20.0f}));
        torch::mse_loss(pred, target).backward();
    }
    const auto a = plain->named_parameters(), b = checkpointed->named_parameters();
    for (const auto &item : a) {
        ASSERT_TRUE(b[item.key()].grad().defined()) << item.key();
        EXPECT_TRUE(torch::allclose(item.value().grad(), b[item.key()].grad(), 1e-5, 1e-7)) << item.key();
    }
}

TEST(Model, ImageEncoderMakesTheConfiguredTokenGrid)
{
    // LIBERO's 128x128 frames onto SigLIP's 27 x 27 grid, so the official
    // img_cond_pos_embed [1, 4374, H] fits; and a small non-square case.
    ImageEncoder siglipSized(128, 128, 729, 16);
    const torch::Tensor frames = torch::randint(0, 256, {1, 6, 3, 128, 128}, torch::kUInt8);
    EXPECT_EQ(siglipSized(frames).sizes(), (std::vector<int64_t>{1, 6 * 729, 16}));
    ImageEncoder tiny(8, 6, 4, 24);
    EXPECT_EQ(tiny(torch::zeros({2, 6, 3, 8, 6}, torch::kUInt8)).sizes(), (std::vector<int64_t>{2, 24, 24}));
    EXPECT_THROW(ImageEncoder(8, 8, 5, 24), std::exception);
}

TEST(Model, LearnedLanguageTokensAreStablePerInstruction)
{
    torch::manual_seed(1);
    LanguageEncoder encoder(32, 16, NamedTensors{});
    const auto [tokens, mask] = encoder->forward({"put the bowl on the plate", "", "Put the BOWL on the plate."},
                                                 torch::kCPU);
    EXPECT_EQ(tokens.sizes(), (std::vector<int64_t>{3, 6, 32}));
    const torch::Tensor lengths = mask.sum(1);
    EXPECT_EQ(lengths[0].item<int64_t>(), 6);
    EXPECT_EQ(lengths[1].item<int64_t>(), 1); // the empty instruction: one "empty" token
    EXPECT_EQ(lengths[2].item<int64_t>(), 6);
    EXPECT_TRUE(torch::equal(tokens[0], tokens[2])); // words, not case or punctuation
    // Precomputed embeddings are looked up by instruction, and a missing one is an error.
    LanguageEncoder precomputed(32, 16, NamedTensors{{"open the drawer", torch::ones({3, 32})}});
    EXPECT_EQ(precomputed->forward({"open the drawer"}, torch::kCPU).first.sizes(), (std::vector<int64_t>{1, 3, 32}));
    EXPECT_THROW(precomputed->forward({"close the drawer"}, torch::kCPU), std::exception);
}

TEST(Model, LearnedLanguageTableIsLowRankAtT5Width)
{
    // At T5's 4096 dimensions a full table would be 4096 x 4096 = 16.8 M parameters.
    torch::manual_seed(2);
    LanguageEncoder encoder(4096, 1024, NamedTensors{});
    int64_t count = 0;
    for (const torch::Tensor &p : encoder->parameters())
        count += p.numel();
    EXPECT_EQ(count, kWordBuckets * kWordRank + kWordRank * 4096);
    // The tokens start as small as the full table's normal(0, 0.02) ones.
    torch::NoGradGuard noGrad;
    const torch::Tensor tokens = encoder->forward({"put the bowl on the plate and open the top drawer"}, torch::kCPU).first;
    EXPECT_NEAR(tokens.std().item<double>(), 0.02, 0.004);
}

TEST(Model, LinearAdaptorHasTheBareLinearKeys)
{
    RdtConfig config = trainertest::tinyConfig(2);
    config.img_adaptor = "linear";
    config.state_adaptor = "mlp1x_gelu";
    RdtRunner runner(config);
    const auto s = shapes(runner);
    EXPECT_EQ(s.at("img_adaptor.weight"), (std::vector<int64_t>{64, 24}));
    EXPECT_EQ(s.at("img_adaptor.bias"), (std::vector<int64_t>{64}));
    EXPECT_EQ(s.at("state_adaptor.0.weight"), (std::vector<int64_t>{64, 256}));
    EXPECT_FALSE(s.count("state_adaptor.2.weight"));
    torch::NoGradGuard noGrad;
    const torch::Tensor pred = runner->denoise(torch::randn({1, 2, 32}), std::nullopt, torch::randn({1, 24, 24}),
                                               torch::zeros({1, 1, 128}), torch::zeros({1, 64, 128}),
                                               torch::ones({1, 1, 128}), torch::tensor({1}), torch::tensor({20.0f}));
    EXPECT_EQ(pred.sizes(), (std::vector<int64_t>{1, 64, 128}));
}

TEST(Model, AutocastGuardRunsMatmulsInBf16WithFloatWeights)
{
    torch::nn::Linear linear(8, 4);
    const torch::Tensor x = torch::randn({2, 8});
    {
        AutocastGuard bf16(torch::kCPU, true);
        EXPECT_EQ(linear(x).scalar_type(), torch::kBFloat16);
        EXPECT_EQ(linear->weight.scalar_type(), torch::kFloat32); // the master weights stay float32
    }
    EXPECT_EQ(linear(x).scalar_type(), torch::kFloat32);
    AutocastGuard off(torch::kCPU, false);
    EXPECT_EQ(linear(x).scalar_type(), torch::kFloat32);
}
