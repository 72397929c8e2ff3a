// Dataset statistics against values computed here from the fixture's formulas with RDT's
// formulas, MD5 against `md5sum`, and the stats command's JSON file.
#include "data/DatasetStats.h"
#include "data/Md5.h"
#include "data/StatsCommand.h"
#include "support_libero_fixture.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace rdt::data;
using namespace rdt::fixture;

namespace {

std::string md5sumOf(const std::string& path)
{
    std::FILE* pipe = ::popen(("md5sum '" + path + "'").c_str(), "r");
    if (!pipe)
        return "";
    char digest[33] = {};
    const size_t got = std::fread(digest, 1, 32, pipe);
    ::pclose(pipe);
    return std::string(digest, got);
}

std::string md5OfText(const std::string& text)
{
    Md5 md5;
    md5.update(text.data(), text.size());
    return md5.hexDigest();
}

// One slot's values over all steps, straight from the fixture.
std::vector<double> slotValues(const std::vector<int>& demoSteps, int slot, bool action)
{
    std::vector<double> values;
    for (int demo = 0; demo < static_cast<int>(demoSteps.size()); ++demo)
        for (int t = 0; t < demoSteps[demo]; ++t) {
            if (!action && slot == 3)
                values.push_back(fixtureJoint(demo, t, 3));
            else if (!action && slot == 10)
                values.push_back((fixtureGripper(demo, t, 0) - fixtureGripper(demo, t, 1)) * 12.905);
            else if (!action && slot == 31)
                values.push_back(fixtureEePos(demo, t, 1));
            else if (action && slot == 10)
                values.push_back(fixtureAction(demo, t, 6) < 0 ? 1.0 : 0.0);
            else if (action && slot == 42)
                values.push_back(fixtureAction(demo, t, 3));
            else
                values.push_back(0.0);
        }
    return values;
}

// RDT's std: values with |x| <= 1e-8 count as absent.
double rdtStd(const std::vector<double>& values)
{
    double sum = 0, sumSquares = 0;
    int nonzero = 0;
    for (double x : values) {
        if (std::abs(x) > 1e-8) {
            sum += x;
            sumSquares += x * x;
            ++nonzero;
        }
    }
    const double n = values.size(), nz = std::max(nonzero, 1);
    return std::sqrt(std::max(sumSquares / nz - (sum / n) * (sum / n) * (n / nz), 0.0));
}

}  // namespace

TEST(DataStats, Md5KnownVectors)
{
    // RFC 1321, appendix A.5.
    EXPECT_EQ(md5OfText(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5OfText("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(md5OfText("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
              "57edf4a22be3c955ac49da2e2107b67a");
    // Pieces of every size give the digest of the whole.
    std::string text;
    for (int i = 0; i < 1000; ++i)
        text += static_cast<char>(i * 7 + 3);
    Md5 pieces;
    for (size_t at = 0, size = 1; at < text.size(); at += size, size = size % 70 + 1)
        pieces.update(text.data() + at, std::min(size, text.size() - at));
    EXPECT_EQ(pieces.hexDigest(), md5OfText(text));
}

TEST(DataStats, Md5MatchesMd5sum)
{
    const std::string folder = fixtureFolder("md5");
    LiberoFixture fixture;
    fixture.image_height = 64;
    fixture.image_width = 64;  // ~3 MB: several 1 MiB blocks and a partial one
    writeLiberoFixture(folder + "/big.hdf5", fixture);
    auto md5 = Md5::ofFile(folder + "/big.hdf5");
    ASSERT_TRUE(md5.ok()) << md5.error();
    EXPECT_EQ(md5.value(), md5sumOf(folder + "/big.hdf5"));
    EXPECT_FALSE(Md5::ofFile(folder + "/absent.hdf5").ok());
}

TEST(DataStats, ValuesAsRdtComputesThem)
{
    const std::string folder = fixtureFolder("stats");
    LiberoFixture fixture;
    fixture.demo_steps = {5, 70, 12};
    writeLiberoFixture(folder + "/task.hdf5", fixture);
    auto stats = DatasetStats::compute(folder + "/task.hdf5", "");
    ASSERT_TRUE(stats.ok()) << stats.error();
    EXPECT_EQ(stats->dataset_name, "task");
    EXPECT_EQ(stats->episodes, 3);
    EXPECT_EQ(stats->steps, 87);
    ASSERT_EQ(stats->files.size(), 1u);
    EXPECT_EQ(stats->files[0].md5, md5sumOf(folder + "/task.hdf5"));

    for (auto [slot, action] : std::vector<std::pair<int, bool>>{{3, false}, {10, false}, {31, false}, {50, false}, {10, true}, {42, true}, {0, true}}) {
        const std::vector<double> values = slotValues(fixture.demo_steps, slot, action);
        double mean = 0;
        for (double x : values)
            mean += x / values.size();
        const VectorStats& got = action ? stats->action : stats->state;
        const std::string what = std::string(action ? "action" : "state") + " slot " + std::to_string(slot);
        EXPECT_NEAR(got.mean[slot], mean, 1e-6) << what;
        EXPECT_NEAR(got.std[slot], rdtStd(values), 1e-6) << what;
        EXPECT_NEAR(got.min[slot], *std::min_element(values.begin(), values.end()), 1e-6) << what;
        EXPECT_NEAR(got.max[slot], *std::max_element(values.begin(), values.end()), 1e-6) << what;
    }
}

TEST(DataStats, CommandWritesMergedJson)
{
    const std::string folder = fixtureFolder("command");
    LiberoFixture fixture;
    fixture.demo_steps = {5, 6};
    writeLiberoFixture(folder + "/a.hdf5", fixture);
    writeLiberoFixture(folder + "/b.hdf5", fixture);
    const std::string out = folder + "/dataset_stat.json";
    {
        std::ofstream existing(out);
        existing << R"({"bridge": {"dataset_name": "bridge", "state_mean": [1]}})";
    }
    std::string dataset = folder;  // the folder: both files
    std::vector<std::string> arguments = {"stats", "--dataset", dataset, "--out=" + out, "--dataset-name", "libero_pair"};
    std::vector<char*> argv;
    for (std::string& argument : arguments)
        argv.push_back(argument.data());
    ASSERT_EQ(runStatsCommand(static_cast<int>(argv.size()), argv.data()), 0);

    std::ifstream file(out);
    const nlohmann::json json = nlohmann::json::parse(file);
    EXPECT_TRUE(json.contains("bridge")) << "other datasets' entries are kept";
    ASSERT_TRUE(json.contains("libero_pair"));
    const nlohmann::json& entry = json["libero_pair"];
    for (const char* key : {"state_mean", "state_std", "state_min", "state_max", "action_mean",
                            "action_std", "action_min", "action_max"})
        EXPECT_EQ(entry[key].size(), 128u) << key;
    EXPECT_EQ(entry["episodes"], 4);
    EXPECT_EQ(entry["steps"], 22);
    ASSERT_EQ(entry["files"].size(), 2u);
    EXPECT_EQ(entry["files"][0]["name"], "a.hdf5");
    EXPECT_EQ(entry["files"][1]["md5"], md5sumOf(folder + "/b.hdf5"));
    EXPECT_FALSE(entry.contains("md5")) << "a folder has no single MD5";
}

TEST(DataStats, CommandFailsWithOneLine)
{
    std::vector<std::string> arguments = {"stats", "--out", "x.json"};
    std::vector<char*> argv;
    for (std::string& argument : arguments)
        argv.push_back(argument.data());
    ::testing::internal::CaptureStderr();
    EXPECT_NE(runStatsCommand(static_cast<int>(argv.size()), argv.data()), 0);
    std::string error = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(error.find("--dataset is required"), std::string::npos) << error;

    arguments = {"stats", "--dataset", "/nonexistent/libero.hdf5"};
    argv.clear();
    for (std::string& argument : arguments)
        argv.push_back(argument.data());
    ::testing::internal::CaptureStderr();
    EXPECT_NE(runStatsCommand(static_cast<int>(argv.size()), argv.data()), 0);
    error = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(error.find("/nonexistent/libero.hdf5: no such file"), std::string::npos) << error;
    EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 1) << error;
}

TEST(DataStats, CommandLeavesAForeignOutFileAlone)
{
    const std::string folder = fixtureFolder("foreign_out");
    LiberoFixture fixture;
    writeLiberoFixture(folder + "/task.hdf5", fixture);
    const std::string out = folder + "/notes.txt";
    std::ofstream(out) << "my notes, not JSON\n";
    std::vector<std::string> arguments = {"stats", "--dataset", folder + "/task.hdf5", "--out", out};
    std::vector<char*> argv;
    for (std::string& argument : arguments)
        argv.push_back(argument.data());
    ::testing::internal::CaptureStderr();
    EXPECT_NE(runStatsCommand(static_cast<int>(argv.size()), argv.data()), 0);
    const std::string error = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(error.find("not a JSON object; not overwriting it"), std::string::npos) << error;
    std::ifstream file(out);
    std::string kept((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_EQ(kept, "my notes, not JSON\n");
    EXPECT_FALSE(std::filesystem::exists(out + ".tmp"));
}
