// The strict torch.save reader: RDT's real empty_lang_embed.pt, state dicts written by
// Python's torch.save (float32 and bfloat16), and refusals of what a state dict never holds.
#include "support_trainer_paths.h"
#include "weights/TorchArchive.h"
#include "weights/WeightsLoader.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>

using namespace rdt;

namespace {

std::string errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const std::exception &error) {
        return error.what();
    }
    return "";
}

// Runs Python with torch; returns false (and the test skips) when none is installed.
bool runPython(const std::string &script, const std::string &argument)
{
    const std::string python = trainertest::pythonWithTorch();
    if (python.empty())
        return false;
    std::string output;
    const int status = trainertest::runCommand(python + " -c " + trainertest::shellQuote(script) + " " +
                                           trainertest::shellQuote(argument), output);
    EXPECT_EQ(status, 0) << output;
    return true;
}

} // namespace

TEST(TorchArchive, ReadsRdtsEmptyLanguageEmbedding)
{
    // RDT's data/empty_lang_embed.pt: a bare bfloat16 [1, 4096] tensor, zip layout with a
    // byteorder record.
    const at::Tensor embed = loadTorchTensor(trainertest::trainerTestData("rdt_empty_lang_embed.pt"));
    EXPECT_EQ(embed.scalar_type(), torch::kBFloat16);
    EXPECT_EQ(embed.sizes(), (std::vector<int64_t>{1, 4096}));
    EXPECT_TRUE(torch::isfinite(embed.to(torch::kFloat32)).all().item<bool>());
    EXPECT_GT(embed.to(torch::kFloat32).abs().sum().item<float>(), 0.0f);
    // It is not a state dict, and the reader says so.
    const std::string message = errorOf([] { loadTorchStateDict(trainertest::trainerTestData("rdt_empty_lang_embed.pt")); });
    EXPECT_NE(message.find("not a state dict"), std::string::npos) << message;
}

TEST(TorchArchive, ReadsPythonStateDictsInEveryStorageType)
{
    const std::string folder = trainertest::scratchFolder("torch_archive_python");
    const std::string path = folder + "/pytorch_model.bin";
    // Shared storage (a view), non-contiguous strides, an empty tensor, and the storages
    // RDT checkpoints use; values are exact in every dtype.
    const std::string script = R"(
import sys, torch
from collections import OrderedDict
base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 4
sd = OrderedDict()
sd['f32'] = base
sd['f32_view_t'] = base.t()
sd['f32_row'] = base[2]
sd['bf16'] = base.to(torch.bfloat16)
sd['f16'] = base.to(torch.float16)
sd['f64'] = base.double()
sd['i64'] = torch.arange(-5, 5)
sd['i32'] = torch.arange(3, dtype=torch.int32)
sd['u8'] = torch.tensor([0, 255], dtype=torch.uint8)
sd['b'] = torch.tensor([True, False])
sd['empty'] = torch.zeros(0, 3)
sd['param'] = torch.nn.Parameter(torch.ones(2))
torch.save(sd, sys.argv[1])
)";
    if (!runPython(script, path))
        GTEST_SKIP() << "python3-torch is not installed (scripts/setup installs it)";
    const NamedTensors sd = loadTorchStateDict(path);
    std::vector<std::string> names;
    for (const auto &[name, t] : sd)
        names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"f32", "f32_view_t", "f32_row", "bf16", "f16", "f64", "i64", "i32", "u8",
                                               "b", "empty", "param"}));
    std::map<std::string, at::Tensor> m(sd.begin(), sd.end());
    const at::Tensor base = torch::arange(24, torch::kFloat32).reshape({4, 6}) / 4;
    EXPECT_TRUE(torch::equal(m["f32"], base));
    EXPECT_TRUE(torch::equal(m["f32_view_t"], base.t()));
    EXPECT_TRUE(torch::equal(m["f32_row"], base[2]));
    EXPECT_EQ(m["bf16"].scalar_type(), torch::kBFloat16);
    EXPECT_TRUE(torch::equal(m["bf16"].to(torch::kFloat32), base));
    EXPECT_TRUE(torch::equal(m["f16"].to(torch::kFloat32), base));
    EXPECT_TRUE(torch::equal(m["f64"], base.to(torch::kFloat64)));
    EXPECT_TRUE(torch::equal(m["i64"], torch::arange(-5, 5)));
    EXPECT_TRUE(torch::equal(m["u8"], torch::tensor({0, 255}, torch::kUInt8)));
    EXPECT_TRUE(torch::equal(m["b"], torch::tensor({true, false})));
    EXPECT_EQ(m["empty"].sizes(), (std::vector<int64_t>{0, 3}));
    EXPECT_TRUE(torch::equal(m["param"], torch::ones(2)));
}

TEST(TorchArchive, RefusesForeignGlobalsAndOtherFormats)
{
    const std::string folder = trainertest::scratchFolder("torch_archive_refusals");
    // A pickle that would call os.system if unpickled by Python: we must refuse, by name.
    const std::string script = R"(
import sys, torch, os
class Evil:
    def __reduce__(self):
        return (os.system, ('true',))
torch.save({'x': Evil()}, sys.argv[1] + '/evil.bin')
torch.save([torch.ones(1)], sys.argv[1] + '/list.bin')
torch.save({1: torch.ones(1)}, sys.argv[1] + '/intkey.bin')
torch.save(torch.ones(1), sys.argv[1] + '/legacy.bin', _use_new_zipfile_serialization=False)
)";
    if (!runPython(script, folder))
        GTEST_SKIP() << "python3-torch is not installed (scripts/setup installs it)";
    std::string message = errorOf([&] { loadTorchStateDict(folder + "/evil.bin"); });
    EXPECT_NE(message.find("posix.system"), std::string::npos) << message;
    EXPECT_NE(message.find("refused"), std::string::npos) << message;
    message = errorOf([&] { loadTorchStateDict(folder + "/list.bin"); });
    EXPECT_NE(message.find("not a state dict"), std::string::npos) << message;
    message = errorOf([&] { loadTorchStateDict(folder + "/intkey.bin"); });
    EXPECT_NE(message.find("not a string"), std::string::npos) << message;
    message = errorOf([&] { loadTorchStateDict(folder + "/legacy.bin"); });
    EXPECT_NE(message.find("legacy"), std::string::npos) << message;
    // A truncated archive says so instead of crashing.
    {
        std::ifstream in(trainertest::trainerTestData("rdt_empty_lang_embed.pt"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(folder + "/truncated.pt", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    }
    message = errorOf([&] { loadTorchTensor(folder + "/truncated.pt"); });
    EXPECT_NE(message.find(folder + "/truncated.pt"), std::string::npos) << message;
}

TEST(TorchArchive, FolderPrefersSafetensorsThenBin)
{
    const std::string folder = trainertest::scratchFolder("weights_resolution");
    EXPECT_NE(errorOf([&] { resolveWeightsFile(folder); }).find("neither model.safetensors nor pytorch_model.bin"),
              std::string::npos);
    std::ofstream(folder + "/pytorch_model.bin") << "x";
    EXPECT_EQ(resolveWeightsFile(folder), folder + "/pytorch_model.bin");
    std::ofstream(folder + "/model.safetensors") << "x";
    EXPECT_EQ(resolveWeightsFile(folder), folder + "/model.safetensors");
    EXPECT_EQ(resolveWeightsFile(folder + "/pytorch_model.bin"), folder + "/pytorch_model.bin");
    EXPECT_NE(errorOf([&] { resolveWeightsFile(folder + "/nope"); }).find("no such file"), std::string::npos);
}
