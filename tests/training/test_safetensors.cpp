// safetensors: our writer and reader round-trip every dtype bit for bit, and the reader
// refuses malformed headers (with the reason) before building any tensor.
#include "support_trainer_paths.h"
#include "weights/SafetensorsFile.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>

using namespace rdt;

namespace {

// A file with the given header JSON text and data bytes, as a hostile writer might make.
std::string writeRaw(const std::string &folder, const std::string &name, const std::string &header,
                     const std::string &data, int64_t claimedLength = -1)
{
    const std::string path = folder + "/" + name;
    std::ofstream out(path, std::ios::binary);
    uint64_t length = claimedLength >= 0 ? static_cast<uint64_t>(claimedLength) : header.size();
    for (int i = 0; i < 8; ++i, length >>= 8)
        out.put(static_cast<char>(length & 0xff));
    out << header << data;
    return path;
}

std::string errorOf(const std::string &path)
{
    try {
        readSafetensors(path);
    } catch (const std::exception &error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST(Safetensors, RoundTripsEveryDtype)
{
    const std::string folder = trainertest::scratchFolder("safetensors_roundtrip");
    torch::manual_seed(7);
    NamedTensors tensors = {
        {"f32", torch::randn({3, 5})},
        {"bf16", torch::randn({2, 7}).to(torch::kBFloat16)},
        {"f16", torch::randn({4}).to(torch::kFloat16)},
        {"f64", torch::randn({2, 2}, torch::kFloat64)},
        {"i64", torch::arange(-3, 9, torch::kInt64).reshape({3, 4})},
        {"i32", torch::arange(5, torch::kInt32)},
        {"u8", torch::arange(250, 256, torch::kInt64).to(torch::kUInt8)},
        {"bool", torch::tensor({true, false, true})},
        {"scalar", torch::tensor(3.5f)},
        {"empty", torch::zeros({0, 4})},
        {"model.blocks.0.attn.qkv.weight", torch::randn({6, 2}).t()}, // non-contiguous
    };
    const std::string path = folder + "/all.safetensors";
    writeSafetensors(path, tensors, {{"format", "pt"}});
    const SafetensorsContents back = readSafetensors(path);
    EXPECT_EQ(back.metadata.at("format"), "pt");
    ASSERT_EQ(back.tensors.size(), tensors.size());
    for (const auto &[name, expected] : tensors) {
        const auto it = std::find_if(back.tensors.begin(), back.tensors.end(), [&](const auto &e) { return e.first == name; });
        ASSERT_NE(it, back.tensors.end()) << name;
        EXPECT_EQ(it->second.scalar_type(), expected.scalar_type()) << name;
        EXPECT_EQ(it->second.sizes(), expected.sizes()) << name;
        EXPECT_TRUE(torch::equal(it->second, expected)) << name;
    }
    // Header 8-byte aligned, as the reference writer pads it.
    std::ifstream in(path, std::ios::binary);
    unsigned char length[8];
    in.read(reinterpret_cast<char *>(length), 8);
    EXPECT_EQ(length[0] % 8, 0);
}

TEST(Safetensors, ReadsAnIndependentWritersFile)
{
    // Written by the Python reference's own writer (struct + json), not by ours.
    const std::string python = trainertest::pythonWithTorch();
    if (python.empty())
        GTEST_SKIP() << "python3-torch is not installed (scripts/setup installs it)";
    const std::string folder = trainertest::scratchFolder("safetensors_python");
    std::string output;
    const std::string script =
        "import sys; sys.path.insert(0, " + trainertest::shellQuote(trainertest::referenceScript("")) + "); "
        "import torch, rdt_reference as r; "
        "r.write_safetensors(sys.argv[1], {'a': torch.arange(6, dtype=torch.float32).reshape(2, 3), "
        "'b': torch.tensor([1.5, -2.25], dtype=torch.bfloat16), 'c': torch.tensor([7, -8], dtype=torch.int64)})";
    ASSERT_EQ(trainertest::runCommand(python + " -c " + trainertest::shellQuote(script) + " " + folder + "/py.safetensors", output), 0)
        << output;
    const SafetensorsContents back = readSafetensors(folder + "/py.safetensors");
    ASSERT_EQ(back.tensors.size(), 3u);
    std::map<std::string, torch::Tensor> byName(back.tensors.begin(), back.tensors.end());
    EXPECT_TRUE(torch::equal(byName["a"], torch::arange(6, torch::kFloat32).reshape({2, 3})));
    EXPECT_EQ(byName["b"].scalar_type(), torch::kBFloat16);
    EXPECT_EQ(byName["b"][1].item<float>(), -2.25f);
    EXPECT_EQ(byName["c"][1].item<int64_t>(), -8);
}

TEST(Safetensors, RefusesMalformedHeaders)
{
    const std::string folder = trainertest::scratchFolder("safetensors_bad");
    const std::string eightBytes(8, '\0');
    const auto header = [](const std::string &dtype, const std::string &shape, const std::string &offsets) {
        return "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
    };
    struct Case {
        std::string name;
        std::string path;
        std::string expect;
    };
    const std::vector<Case> cases = {
        {"length past the end", writeRaw(folder, "long", "{}", "", 1000), "exceeds the file"},
        {"not JSON", writeRaw(folder, "json", "{\"t\": [", ""), "not valid JSON"},
        {"unknown dtype", writeRaw(folder, "dtype", header("F8", "[2]", "[0,8]"), eightBytes), "unsupported dtype"},
        {"size mismatch", writeRaw(folder, "size", header("F32", "[3]", "[0,8]"), eightBytes), "needs 12"},
        {"offsets outside", writeRaw(folder, "outside", header("F32", "[4]", "[0,16]"), eightBytes), "outside"},
        {"negative shape", writeRaw(folder, "negative", header("F32", "[-2]", "[0,8]"), eightBytes), "non-natural"},
        {"trailing bytes", writeRaw(folder, "trailing", header("F32", "[1]", "[0,4]"), eightBytes), "after the last tensor"},
        {"overlap", writeRaw(folder, "overlap",
                             "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                             "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eightBytes),
         "overlap or hole"},
        {"metadata not strings", writeRaw(folder, "meta", "{\"__metadata__\":{\"a\":1}}", ""), "not a string"},
    };
    // A file of 3 bytes cannot even hold the length.
    {
        std::ofstream(folder + "/tiny", std::ios::binary) << "abc";
        EXPECT_NE(errorOf(folder + "/tiny").find("too short"), std::string::npos) << errorOf(folder + "/tiny");
    }
    for (size_t i = 0; i < cases.size(); ++i) {
        const std::string message = errorOf(cases[i].path);
        EXPECT_NE(message.find(cases[i].expect), std::string::npos) << cases[i].name << ": " << message;
        EXPECT_NE(message.find(cases[i].path), std::string::npos) << "names the file: " << message;
    }
    EXPECT_NE(errorOf(folder + "/missing.safetensors").find("cannot open"), std::string::npos);
}

TEST(Safetensors, WriterRefusesDuplicateNamesAndLeavesNoTempFile)
{
    const std::string folder = trainertest::scratchFolder("safetensors_dup");
    EXPECT_THROW(writeSafetensors(folder + "/d.safetensors", {{"x", torch::ones(1)}, {"x", torch::ones(1)}}), std::exception);
    writeSafetensors(folder + "/ok.safetensors", {{"x", torch::ones(1)}});
    EXPECT_FALSE(std::filesystem::exists(folder + "/ok.safetensors.tmp"));
    EXPECT_TRUE(std::filesystem::exists(folder + "/ok.safetensors"));
}
