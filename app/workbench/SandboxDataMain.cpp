// rdt-sandbox-data: writes the sandbox's small LIBERO-format dataset (robomimic's layout as
// LIBERO's conversion script writes it: data/demo_N/{actions, obs/...} and the problem_info
// attribute), so the GUI itself never includes HDF5 headers. The trajectories are smooth
// reach-and-grasp motions, enough for a short CPU run to show a falling loss.
//
//   rdt-sandbox-data OUT.hdf5 [--demos N] [--steps T] [--image S]
#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Shape {
    int demos = 4;
    int steps = 60;
    int image = 32;   // LIBERO's frames are 128 x 128; the sandbox's model pools them anyway
};

// One demonstration's value at step t: phase runs 0 -> 1 over the episode.
double phase(const Shape &shape, int t) { return double(t) / double(std::max(1, shape.steps - 1)); }

void writeMatrix(H5::Group &group, const char *name, int rows, int columns, const std::vector<double> &values)
{
    const hsize_t dims[2] = {hsize_t(rows), hsize_t(columns)};
    H5::DataSet set = group.createDataSet(name, H5::PredType::IEEE_F64LE, H5::DataSpace(2, dims));
    set.write(values.data(), H5::PredType::NATIVE_DOUBLE);
}

template <typename Value>
std::vector<double> table(int rows, int columns, Value value)
{
    std::vector<double> values(size_t(rows) * size_t(columns));
    for (int t = 0; t < rows; ++t)
        for (int c = 0; c < columns; ++c)
            values[size_t(t) * size_t(columns) + size_t(c)] = value(t, c);
    return values;
}

void writeFrames(H5::Group &group, const char *name, const Shape &shape, int demo, int camera)
{
    const int size = shape.image;
    std::vector<uint8_t> pixels(size_t(shape.steps) * size_t(size) * size_t(size) * 3);
    size_t i = 0;
    for (int t = 0; t < shape.steps; ++t) {
        // A bright square (the object) that the gripper's view approaches.
        const double p = phase(shape, t);
        const int centre = size / 2 + int((1.0 - p) * (size / 4) * (camera == 0 ? 1 : -1));
        const int half = 2 + int(p * size / 6);
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x) {
                const bool object = std::abs(x - centre) <= half && std::abs(y - size / 2) <= half;
                pixels[i++] = object ? 220 : uint8_t(40 + 3 * demo);
                pixels[i++] = object ? 60 : uint8_t(90 + y);
                pixels[i++] = object ? 40 : uint8_t(120 + camera * 30);
            }
    }
    const hsize_t dims[4] = {hsize_t(shape.steps), hsize_t(size), hsize_t(size), 3};
    H5::DataSet set = group.createDataSet(name, H5::PredType::STD_U8LE, H5::DataSpace(4, dims));
    set.write(pixels.data(), H5::PredType::NATIVE_UINT8);
}

void writeDemo(H5::Group &data, const Shape &shape, int demo)
{
    H5::Group group = data.createGroup("demo_" + std::to_string(demo));
    H5::Group obs = group.createGroup("obs");
    const int T = shape.steps;
    const double offset = 0.05 * demo;
    auto position = [&](int t, int axis) {
        const double p = phase(shape, t);
        const double target[3] = {0.55 + offset, 0.05 - offset, 0.90};
        const double start[3] = {0.40, 0.00, 1.15};
        return start[axis] + (target[axis] - start[axis]) * (1 - std::cos(M_PI * p)) / 2;
    };
    auto closed = [&](int t) { return phase(shape, t) > 0.7; };
    writeMatrix(group, "actions", T, 7, table(T, 7, [&](int t, int c) {
        if (c == 6)
            return closed(t) ? 1.0 : -1.0;
        if (c < 3)
            return std::clamp(20.0 * (position(std::min(t + 1, T - 1), c) - position(t, c)), -1.0, 1.0);
        return 0.0;
    }));
    writeMatrix(obs, "joint_states", T, 7, table(T, 7, [&](int t, int j) { return 0.3 * std::sin(phase(shape, t) * 2 + j) + offset; }));
    writeMatrix(obs, "gripper_states", T, 2, table(T, 2, [&](int t, int f) {
        const double opening = closed(t) ? 0.005 : 0.039;
        return f == 0 ? opening : -opening;
    }));
    writeMatrix(obs, "ee_pos", T, 3, table(T, 3, position));
    writeMatrix(obs, "ee_ori", T, 3, table(T, 3, [&](int t, int axis) { return axis == 0 ? M_PI - 0.1 * phase(shape, t) : 0.0; }));
    writeMatrix(obs, "ee_states", T, 6, table(T, 6, [&](int t, int c) {
        return c < 3 ? position(t, c) : (c == 3 ? M_PI - 0.1 * phase(shape, t) : 0.0);
    }));
    writeFrames(obs, "agentview_rgb", shape, demo, 0);
    writeFrames(obs, "eye_in_hand_rgb", shape, demo, 1);
}

int number(const char *text, const char *flag)
{
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (!*text || *end || value < 1 || value > 100000) {
        std::fprintf(stderr, "rdt-sandbox-data: %s '%s' is not a positive number\n", flag, text);
        std::exit(2);
    }
    return int(value);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        std::fprintf(stderr, "usage: rdt-sandbox-data OUT.hdf5 [--demos N] [--steps T] [--image S]\n");
        return 2;
    }
    Shape shape;
    for (int i = 2; i < argc; ++i) {
        if (i + 1 >= argc) {
            std::fprintf(stderr, "rdt-sandbox-data: %s needs a value\n", argv[i]);
            return 2;
        }
        if (!std::strcmp(argv[i], "--demos"))
            shape.demos = number(argv[++i], "--demos");
        else if (!std::strcmp(argv[i], "--steps"))
            shape.steps = number(argv[++i], "--steps");
        else if (!std::strcmp(argv[i], "--image"))
            shape.image = number(argv[++i], "--image");
        else {
            std::fprintf(stderr, "rdt-sandbox-data: unknown flag %s\n", argv[i]);
            return 2;
        }
    }
    // Written under a temporary name and renamed: nothing half-written under the final one.
    const std::string path = argv[1];
    const std::string temporary = path + ".part";
    try {
        H5::Exception::dontPrint();
        H5::H5File file(temporary, H5F_ACC_TRUNC);
        H5::Group data = file.createGroup("data");
        const std::string info = "{\"problem_name\": \"libero_sandbox_pick\", \"domain_name\": \"kitchen\", "
                                 "\"language_instruction\": \"pick up the red block\"}";
        H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);   // as h5py stores a Python str
        type.setCset(H5T_CSET_UTF8);
        data.createAttribute("problem_info", type, H5::DataSpace(H5S_SCALAR)).write(type, info);
        for (int demo = 0; demo < shape.demos; ++demo)
            writeDemo(data, shape, demo);
        file.close();
    } catch (const H5::Exception &error) {
        std::fprintf(stderr, "rdt-sandbox-data: writing %s: %s\n", temporary.c_str(), error.getDetailMsg().c_str());
        std::remove(temporary.c_str());
        return 1;
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::perror(("rdt-sandbox-data: rename to " + path).c_str());
        return 1;
    }
    return 0;
}
