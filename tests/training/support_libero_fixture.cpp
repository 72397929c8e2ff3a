// The LIBERO fixture writer: robomimic's layout as LIBERO's conversion script writes it.
#include "support_libero_fixture.h"

#include "data/Hdf5Lock.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <unistd.h>

namespace rdt::fixture {
namespace {

bool omitted(const LiberoFixture& fixture, const std::string& name)
{
    return std::find(fixture.omit.begin(), fixture.omit.end(), name) != fixture.omit.end();
}

void writeDoubles(H5::Group& group, const std::string& name, int rows, int columns,
                  double (*value)(int, int, int), int demo)
{
    std::vector<double> values(static_cast<size_t>(rows) * columns);
    for (int t = 0; t < rows; ++t)
        for (int c = 0; c < columns; ++c)
            values[static_cast<size_t>(t) * columns + c] = value(demo, t, c);
    const hsize_t dims[2] = {static_cast<hsize_t>(rows), static_cast<hsize_t>(columns)};
    H5::DataSpace space(2, dims);
    H5::DataSet dataset = group.createDataSet(name, H5::PredType::IEEE_F64LE, space);
    if (!values.empty())
        dataset.write(values.data(), H5::PredType::NATIVE_DOUBLE);
}

void writeImages(H5::Group& group, const std::string& name, int demo, int camera, int frames,
                 int height, int width, bool compress)
{
    std::vector<uint8_t> pixels(static_cast<size_t>(frames) * height * width * 3);
    size_t i = 0;
    for (int t = 0; t < frames; ++t)
        for (int row = 0; row < height; ++row)
            for (int x = 0; x < width; ++x)
                for (int c = 0; c < 3; ++c)
                    pixels[i++] = fixturePixel(demo, t, camera, height - 1 - row, x, c);
    const hsize_t dims[4] = {static_cast<hsize_t>(frames), static_cast<hsize_t>(height),
                             static_cast<hsize_t>(width), 3};
    H5::DataSpace space(4, dims);
    H5::DSetCreatPropList properties;
    if (compress && frames > 0) {
        const hsize_t chunk[4] = {1, static_cast<hsize_t>(height), static_cast<hsize_t>(width), 3};
        properties.setChunk(4, chunk);
        properties.setDeflate(4);
    }
    H5::DataSet dataset = group.createDataSet(name, H5::PredType::STD_U8LE, space, properties);
    if (!pixels.empty())
        dataset.write(pixels.data(), H5::PredType::NATIVE_UINT8);
}

}  // namespace

double fixtureAction(int demo, int t, int column)
{
    if (column == 6)
        return (t / 3 + demo) % 2 == 0 ? -1.0 : 1.0;  // open, close, open, ...
    return std::sin(0.1 * t + 0.7 * column + demo);
}

double fixtureJoint(int demo, int t, int joint)
{
    return 0.01 * t - 0.2 * joint + 0.5 * demo;
}

double fixtureGripper(int demo, int t, int finger)
{
    const double half = 0.001 * ((t + demo) % 40);  // 0 .. 0.039 m per finger
    return finger == 0 ? half : -half;
}

double fixtureEePos(int demo, int t, int axis)
{
    return 0.3 + 0.002 * t + 0.1 * axis - 0.05 * demo;
}

double fixtureEeOri(int demo, int t, int axis)
{
    const double angle = 0.2 + 0.04 * t + 0.3 * demo;  // stays below pi for the fixtures
    const double axisDirection[3] = {std::cos(0.1 * t), std::sin(0.1 * t), 0.5};
    const double norm = std::sqrt(axisDirection[0] * axisDirection[0] +
                                  axisDirection[1] * axisDirection[1] + 0.25);
    return angle * axisDirection[axis] / norm;
}

uint8_t fixturePixel(int demo, int t, int camera, int y, int x, int channel)
{
    switch (channel) {
    case 0:
        return static_cast<uint8_t>(t + 1);  // never 127 for t < 126: tells frames from background
    case 1:
        return static_cast<uint8_t>(y * 16 + x);
    default:
        return static_cast<uint8_t>(10 + 20 * camera + demo);
    }
}

void writeLiberoFixture(const std::string& path, const LiberoFixture& fixture)
{
    rdt::data::Hdf5Lock lock;
    H5::H5File file(path, H5F_ACC_TRUNC);
    H5::Group data = file.createGroup("data");
    if (fixture.write_problem_info) {
        // h5py stores a Python str as a variable-length UTF-8 string: so does this.
        const std::string info = "{\"problem_name\": \"libero_tabletop_manipulation\", "
                                 "\"domain_name\": \"kitchen\", \"language_instruction\": \"" +
                                 fixture.instruction + "\"}";
        H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
        type.setCset(H5T_CSET_UTF8);
        H5::Attribute attribute = data.createAttribute("problem_info", type, H5::DataSpace(H5S_SCALAR));
        attribute.write(type, info);
    }
    for (size_t d = 0; d < fixture.demo_steps.size(); ++d) {
        const int demo = static_cast<int>(d);
        const int steps = fixture.demo_steps[d];
        H5::Group group = data.createGroup("demo_" + std::to_string(demo));
        H5::Group obs = group.createGroup("obs");
        if (!omitted(fixture, "actions"))
            writeDoubles(group, "actions", steps, 7, fixtureAction, demo);
        if (!omitted(fixture, "obs/joint_states"))
            writeDoubles(obs, "joint_states", steps, fixture.joint_columns, fixtureJoint, demo);
        if (!omitted(fixture, "obs/gripper_states"))
            writeDoubles(obs, "gripper_states", steps, 2, fixtureGripper, demo);
        if (fixture.write_ee_pos_ori && !omitted(fixture, "obs/ee_pos"))
            writeDoubles(obs, "ee_pos", steps, 3, fixtureEePos, demo);
        if (fixture.write_ee_pos_ori && !omitted(fixture, "obs/ee_ori"))
            writeDoubles(obs, "ee_ori", steps, 3, fixtureEeOri, demo);
        if (fixture.write_ee_states && !omitted(fixture, "obs/ee_states")) {
            writeDoubles(obs, "ee_states", steps, 6,
                         [](int dm, int t, int c) {
                             return c < 3 ? fixtureEePos(dm, t, c) : fixtureEeOri(dm, t, c - 3);
                         },
                         demo);
        }
        const int frames = steps + fixture.image_frames_delta;
        if (!omitted(fixture, "obs/agentview_rgb"))
            writeImages(obs, "agentview_rgb", demo, 0, frames, fixture.image_height, fixture.image_width,
                        fixture.compress_images);
        if (!omitted(fixture, "obs/eye_in_hand_rgb"))
            writeImages(obs, "eye_in_hand_rgb", demo, 1, frames, fixture.image_height, fixture.image_width,
                        fixture.compress_images);
    }
}

std::string fixtureFolder(const std::string& testName)
{
    // One root per test process, removed when the process exits normally.
    struct Root {
        std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("rdt-data-tests-" + std::to_string(::getpid()));
        ~Root()
        {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    };
    static const Root root;
    const std::filesystem::path folder = root.path / testName;
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder.string();
}

}  // namespace rdt::fixture
