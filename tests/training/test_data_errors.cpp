// Bad input gives one clear error naming the file, the demo, the dataset and the shape,
// and never a crash: missing file, not HDF5, truncated HDF5, missing or mis-shaped
// datasets, empty and one-step demos, a missing instruction, frame counts that disagree.
#include "data/Dataset.h"
#include "data/DatasetStats.h"
#include "support_libero_fixture.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace rdt::data;
using namespace rdt::fixture;

namespace {

// Opens through both entry points (loader and stats) and returns the loader's error.
std::string openError(const std::string& path, bool statsToo = true)
{
    DatasetOptions options;
    options.num_workers = 1;
    auto dataset = Dataset::open(path, options);
    EXPECT_FALSE(dataset.ok()) << path << " opened";
    if (statsToo) {
        auto stats = DatasetStats::compute(path, "");
        EXPECT_FALSE(stats.ok()) << path << " computed stats";
    }
    return dataset.ok() ? std::string() : dataset.error();
}

std::string fixtureFile(const std::string& test, const LiberoFixture& fixture)
{
    const std::string path = fixtureFolder(test) + "/bad.hdf5";
    writeLiberoFixture(path, fixture);
    return path;
}

void expectMentions(const std::string& error, std::initializer_list<const char*> parts)
{
    for (const char* part : parts)
        EXPECT_NE(error.find(part), std::string::npos) << "\"" << error << "\" lacks \"" << part << "\"";
    EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
}

}  // namespace

TEST(DataErrors, MissingFile)
{
    expectMentions(openError("/nonexistent/libero_10/task.hdf5"),
                   {"/nonexistent/libero_10/task.hdf5", "no such file"});
}

TEST(DataErrors, NotHdf5)
{
    const std::string path = fixtureFolder("not_hdf5") + "/notes.hdf5";
    std::ofstream(path) << "these are not the bytes you are looking for\n";
    expectMentions(openError(path), {"notes.hdf5", "not an HDF5 file"});
}

TEST(DataErrors, TruncatedHdf5)
{
    LiberoFixture fixture;
    fixture.image_height = 32;
    fixture.image_width = 32;
    const std::string path = fixtureFile("truncated", fixture);
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size / 2);
    const std::string error = openError(path);
    expectMentions(error, {"bad.hdf5", "truncated"});
}

TEST(DataErrors, MissingDataset)
{
    LiberoFixture fixture;
    fixture.omit = {"obs/gripper_states"};
    expectMentions(openError(fixtureFile("missing_dataset", fixture)),
                   {"bad.hdf5", "missing dataset data/demo_0/obs/gripper_states"});
    fixture.omit = {"obs/eye_in_hand_rgb"};
    expectMentions(openError(fixtureFile("missing_camera", fixture), false),
                   {"bad.hdf5", "missing dataset data/demo_0/obs/eye_in_hand_rgb"});
    fixture.omit = {"obs/ee_pos"};
    fixture.write_ee_states = false;
    expectMentions(openError(fixtureFile("missing_ee", fixture)),
                   {"missing dataset data/demo_0/obs/ee_pos"});
}

TEST(DataErrors, WrongShapes)
{
    LiberoFixture fixture;
    fixture.joint_columns = 6;
    expectMentions(openError(fixtureFile("joint_shape", fixture)),
                   {"bad.hdf5", "data/demo_0/obs/joint_states", "(5, 6)", "expected (T, 7)"});
    fixture = {};
    fixture.image_frames_delta = -1;
    expectMentions(openError(fixtureFile("frames", fixture), false),
                   {"bad.hdf5", "data/demo_0/obs/agentview_rgb", "4 frames", "actions 5"});
}

TEST(DataErrors, EmptyAndOneStepDemos)
{
    LiberoFixture fixture;
    fixture.demo_steps = {5, 0};
    expectMentions(openError(fixtureFile("empty_demo", fixture)),
                   {"bad.hdf5", "data/demo_1/actions", "0 step(s)"});
    fixture.demo_steps = {1};
    expectMentions(openError(fixtureFile("one_step", fixture)),
                   {"bad.hdf5", "data/demo_0/actions", "1 step(s)", "at least 2"});
    fixture.demo_steps = {};
    expectMentions(openError(fixtureFile("no_demos", fixture)), {"bad.hdf5", "no demo_N groups"});
}

TEST(DataErrors, MissingInstruction)
{
    LiberoFixture fixture;
    fixture.write_problem_info = false;
    expectMentions(openError(fixtureFile("no_instruction", fixture)), {"bad.hdf5", "problem_info"});
}

TEST(DataErrors, EmptyFolderAndBadOptions)
{
    const std::string folder = fixtureFolder("empty_folder");
    expectMentions(openError(folder), {"empty_folder", "no .hdf5 or .h5 files"});

    LiberoFixture fixture;
    const std::string path = fixtureFile("options", fixture);
    DatasetOptions options;
    options.batch_size = 0;
    auto dataset = Dataset::open(path, options);
    ASSERT_FALSE(dataset.ok());
    expectMentions(dataset.error(), {"batch size 0"});
    options = {};
    options.split = Split::Holdout;
    options.holdout_every = 5;  // 2 demos: none held out
    dataset = Dataset::open(path, options);
    ASSERT_FALSE(dataset.ok());
    expectMentions(dataset.error(), {"the split holds no episodes"});
}
