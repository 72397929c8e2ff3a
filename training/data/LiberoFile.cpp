// Reading LIBERO HDF5 files with the HDF5 C++ API, under the global HDF5 lock.
#include "data/LiberoFile.h"

#include "data/Hdf5Lock.h"
#include "data/Layout.h"

#include <H5Cpp.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace rdt::data {
namespace {

constexpr const char* kDataGroup = "data";
constexpr const char* kProblemInfo = "problem_info";
constexpr const char* kDemoPrefix = "demo_";

DataError fail(const std::string& file, const std::string& what)
{
    return DataError{file + ": " + what};
}

// Adds HDF5's own reason to a failure; call in the catch block, still under the lock.
DataError failHdf5(const std::string& file, const std::string& what, const H5::Exception& e)
{
    std::string reason = Hdf5Lock::lastReason();
    if (reason.empty())
        reason = e.getDetailMsg();
    return fail(file, what + ": " + reason);
}

std::string shapeText(const std::vector<hsize_t>& dims)
{
    std::ostringstream out;
    out << '(';
    for (size_t i = 0; i < dims.size(); ++i)
        out << (i ? ", " : "") << dims[i];
    if (dims.size() == 1)
        out << ',';
    out << ')';
    return out.str();
}

// H5Lexists fails rather than answers when an intermediate group is missing, so walk the
// path one component at a time.
bool linkExists(const H5::H5File& file, const std::string& path)
{
    std::string prefix;
    std::istringstream parts(path);
    std::string part;
    while (std::getline(parts, part, '/')) {
        prefix += (prefix.empty() ? "" : "/") + part;
        if (H5Lexists(file.getId(), prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
    }
    return true;
}

std::vector<hsize_t> dimsOf(const H5::DataSet& dataset)
{
    H5::DataSpace space = dataset.getSpace();
    std::vector<hsize_t> dims(static_cast<size_t>(space.getSimpleExtentNdims()));
    space.getSimpleExtentDims(dims.data());
    return dims;
}

std::string demoPath(const std::string& demo, const std::string& relative)
{
    return std::string(kDataGroup) + "/" + demo + "/" + relative;
}

// Reads a T x columns numeric dataset as float32. The caller holds the lock.
DataResult<std::vector<float>> readMatrix(const H5::H5File& file, const std::string& fileName,
                                          const std::string& path, int columns, int& rows)
{
    if (!linkExists(file, path))
        return fail(fileName, "missing dataset " + path);
    try {
        H5::DataSet dataset = file.openDataSet(path);
        const H5T_class_t typeClass = dataset.getTypeClass();
        if (typeClass != H5T_FLOAT && typeClass != H5T_INTEGER)
            return fail(fileName, path + " is not numeric");
        const std::vector<hsize_t> dims = dimsOf(dataset);
        if (dims.size() != 2 || dims[1] != static_cast<hsize_t>(columns))
            return fail(fileName, path + " has shape " + shapeText(dims) + ", expected (T, " +
                                      std::to_string(columns) + ")");
        if (rows >= 0 && dims[0] != static_cast<hsize_t>(rows))
            return fail(fileName, path + " has shape " + shapeText(dims) + ", expected (" +
                                      std::to_string(rows) + ", " + std::to_string(columns) +
                                      ") like the demo's actions");
        rows = static_cast<int>(dims[0]);
        std::vector<float> values(dims[0] * dims[1]);
        if (!values.empty())
            dataset.read(values.data(), H5::PredType::NATIVE_FLOAT);
        for (size_t i = 0; i < values.size(); ++i) {
            if (!std::isfinite(values[i]))
                return fail(fileName, path + " has a non-finite value at step " +
                                          std::to_string(i / columns));
        }
        return values;
    } catch (const H5::Exception& e) {
        return failHdf5(fileName, "cannot read " + path, e);
    }
}

int demoNumber(const std::string& name)
{
    return std::stoi(name.substr(std::string(kDemoPrefix).size()));
}

bool isDemoName(const std::string& name)
{
    const std::string prefix = kDemoPrefix;
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
        return false;
    return std::all_of(name.begin() + prefix.size(), name.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const char* cameraDatasetName(LiberoCamera camera)
{
    switch (camera) {
    case LiberoCamera::Agentview:
        return "obs/agentview_rgb";
    case LiberoCamera::EyeInHand:
        return "obs/eye_in_hand_rgb";
    }
    return "";
}

void LiberoFile::FileCloser::operator()(H5::H5File* file) const noexcept
{
    Hdf5Lock lock;
    try {
        delete file;  // ~H5File closes the id
    } catch (...) {
        // A destructor never throws; a failed close leaves nothing we could repair.
    }
}

LiberoFile::LiberoFile(std::string path, std::unique_ptr<H5::H5File, FileCloser> file)
    : m_path(std::move(path)), m_file(std::move(file))
{
}

LiberoFile::LiberoFile(LiberoFile&&) noexcept = default;
LiberoFile& LiberoFile::operator=(LiberoFile&&) noexcept = default;
LiberoFile::~LiberoFile() = default;

DataResult<LiberoFile> LiberoFile::open(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail(path, "no such file");
    if (!std::filesystem::is_regular_file(path, ec))
        return fail(path, "not a regular file");
    Hdf5Lock lock;
    try {
        if (H5Fis_hdf5(path.c_str()) <= 0)
            return fail(path, "not an HDF5 file");
        auto* file = new H5::H5File(path, H5F_ACC_RDONLY);
        return LiberoFile(path, std::unique_ptr<H5::H5File, FileCloser>(file));
    } catch (const H5::Exception& e) {
        return failHdf5(path, "cannot open as HDF5", e);
    }
}

DataResult<std::vector<std::string>> LiberoFile::demoNames() const
{
    Hdf5Lock lock;
    if (!linkExists(*m_file, kDataGroup))
        return fail(m_path, "missing group data/ (not a LIBERO/robomimic file)");
    try {
        H5::Group data = m_file->openGroup(kDataGroup);
        std::vector<std::string> names;
        const hsize_t count = data.getNumObjs();
        for (hsize_t i = 0; i < count; ++i) {
            std::string name = data.getObjnameByIdx(i);
            if (isDemoName(name))
                names.push_back(std::move(name));
        }
        if (names.empty())
            return fail(m_path, "data/ holds no demo_N groups");
        std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
            return demoNumber(a) < demoNumber(b);
        });
        return names;
    } catch (const H5::Exception& e) {
        return failHdf5(m_path, "cannot list data/", e);
    }
}

DataResult<std::string> LiberoFile::instruction() const
{
    std::string text;
    {
        Hdf5Lock lock;
        try {
            H5::Group data = m_file->openGroup(kDataGroup);
            if (!data.attrExists(kProblemInfo))
                return fail(m_path, "data/ has no problem_info attribute (the language instruction)");
            H5::Attribute attribute = data.openAttribute(kProblemInfo);
            if (attribute.getTypeClass() != H5T_STRING)
                return fail(m_path, "data/ attribute problem_info is not a string");
            attribute.read(attribute.getStrType(), text);
        } catch (const H5::Exception& e) {
            return failHdf5(m_path, "cannot read data/ attribute problem_info", e);
        }
    }
    const nlohmann::json info = nlohmann::json::parse(text, nullptr, false);
    if (info.is_discarded() || !info.is_object())
        return fail(m_path, "data/ attribute problem_info is not a JSON object");
    const auto found = info.find("language_instruction");
    if (found == info.end())
        return fail(m_path, "problem_info has no language_instruction");
    // LIBERO writes a string; some converted files hold a list of alternatives.
    if (found->is_array() && !found->empty() && found->front().is_string())
        return found->front().get<std::string>();
    if (!found->is_string())
        return fail(m_path, "problem_info's language_instruction is not a string");
    return found->get<std::string>();
}

DataResult<LiberoDemoArrays> LiberoFile::readDemo(const std::string& demo) const
{
    Hdf5Lock lock;
    LiberoDemoArrays arrays;
    arrays.name = demo;
    int rows = -1;
    auto actions = readMatrix(*m_file, m_path, demoPath(demo, "actions"), 7, rows);
    if (!actions)
        return DataError{actions.error()};
    if (rows < kMinEpisodeSteps)
        return fail(m_path, demoPath(demo, "actions") + " has " + std::to_string(rows) +
                                " step(s); a demo needs at least " +
                                std::to_string(kMinEpisodeSteps));
    arrays.steps = rows;
    arrays.actions = std::move(actions.value());

    auto joints = readMatrix(*m_file, m_path, demoPath(demo, "obs/joint_states"), 7, rows);
    if (!joints)
        return DataError{joints.error()};
    arrays.joint_states = std::move(joints.value());
    auto gripper = readMatrix(*m_file, m_path, demoPath(demo, "obs/gripper_states"), 2, rows);
    if (!gripper)
        return DataError{gripper.error()};
    arrays.gripper_states = std::move(gripper.value());

    // LIBERO writes ee_pos and ee_ori; older conversions only ee_states = [pos, axis-angle].
    const std::string eePos = demoPath(demo, "obs/ee_pos");
    const std::string eeOri = demoPath(demo, "obs/ee_ori");
    const std::string eeStates = demoPath(demo, "obs/ee_states");
    if (linkExists(*m_file, eePos) || !linkExists(*m_file, eeStates)) {
        auto pos = readMatrix(*m_file, m_path, eePos, 3, rows);
        if (!pos)
            return DataError{pos.error()};
        auto ori = readMatrix(*m_file, m_path, eeOri, 3, rows);
        if (!ori)
            return DataError{ori.error()};
        arrays.ee_pos = std::move(pos.value());
        arrays.ee_ori = std::move(ori.value());
    } else {
        auto states = readMatrix(*m_file, m_path, eeStates, 6, rows);
        if (!states)
            return DataError{states.error()};
        arrays.ee_pos.resize(static_cast<size_t>(rows) * 3);
        arrays.ee_ori.resize(static_cast<size_t>(rows) * 3);
        for (int t = 0; t < rows; ++t) {
            for (int k = 0; k < 3; ++k) {
                arrays.ee_pos[t * 3 + k] = states.value()[t * 6 + k];
                arrays.ee_ori[t * 3 + k] = states.value()[t * 6 + 3 + k];
            }
        }
    }
    return arrays;
}

DataResult<ImageShape> LiberoFile::imageShape(const std::string& demo, LiberoCamera camera) const
{
    Hdf5Lock lock;
    const std::string path = demoPath(demo, cameraDatasetName(camera));
    if (!linkExists(*m_file, path))
        return fail(m_path, "missing dataset " + path);
    try {
        H5::DataSet dataset = m_file->openDataSet(path);
        const std::vector<hsize_t> dims = dimsOf(dataset);
        const H5::DataType type = dataset.getDataType();
        if (type.getClass() != H5T_INTEGER || type.getSize() != 1)
            return fail(m_path, path + " is not uint8");
        if (dims.size() != 4 || dims[3] != kImageChannels || dims[1] == 0 || dims[2] == 0)
            return fail(m_path, path + " has shape " + shapeText(dims) + ", expected (T, H, W, 3)");
        return ImageShape{static_cast<int>(dims[0]), static_cast<int>(dims[1]),
                          static_cast<int>(dims[2])};
    } catch (const H5::Exception& e) {
        return failHdf5(m_path, "cannot open " + path, e);
    }
}

DataResult<void> LiberoFile::readFrames(const std::string& demo, LiberoCamera camera, int first,
                                        int count, uint8_t* out) const
{
    Hdf5Lock lock;
    const std::string path = demoPath(demo, cameraDatasetName(camera));
    try {
        H5::DataSet dataset = m_file->openDataSet(path);
        const std::vector<hsize_t> dims = dimsOf(dataset);
        if (dims.size() != 4 || first < 0 || count < 1 ||
            static_cast<hsize_t>(first + count) > dims[0])
            return fail(m_path, path + " with shape " + shapeText(dims) + " has no frames " +
                                    std::to_string(first) + ".." + std::to_string(first + count - 1));
        H5::DataSpace fileSpace = dataset.getSpace();
        const hsize_t start[4] = {static_cast<hsize_t>(first), 0, 0, 0};
        const hsize_t extent[4] = {static_cast<hsize_t>(count), dims[1], dims[2], dims[3]};
        fileSpace.selectHyperslab(H5S_SELECT_SET, extent, start);
        H5::DataSpace memorySpace(4, extent);
        dataset.read(out, H5::PredType::NATIVE_UINT8, memorySpace, fileSpace);
        return {};
    } catch (const H5::Exception& e) {
        return failHdf5(m_path, "cannot read frames " + std::to_string(first) + ".." +
                                    std::to_string(first + count - 1) + " of " + path, e);
    }
}

}  // namespace rdt::data
