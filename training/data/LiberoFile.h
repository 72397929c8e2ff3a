// One LIBERO HDF5 file (robomimic layout: data/demo_N/{actions, obs/...}, the problem_info
// attribute on data) opened for reading. Every method validates what it reads and fails
// with one line naming the file, the demo, the dataset and the shape.
#pragma once

#include "data/DataResult.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace H5 {
class H5File;
}

namespace rdt::data {

enum class LiberoCamera {
    Agentview,  // obs/agentview_rgb: the exterior camera
    EyeInHand,  // obs/eye_in_hand_rgb: the wrist camera
};

// One demo's low-dimensional arrays, row-major, converted to float32.
struct LiberoDemoArrays {
    std::string name;                 // "demo_N"
    int steps = 0;                    // T
    std::vector<float> actions;       // T x 7: delta position, delta axis-angle, gripper (-1 open, +1 close)
    std::vector<float> joint_states;  // T x 7
    std::vector<float> gripper_states;// T x 2: the two finger joints
    std::vector<float> ee_pos;        // T x 3
    std::vector<float> ee_ori;        // T x 3: axis-angle
};

struct ImageShape {
    int steps = 0;
    int height = 0;
    int width = 0;
};

// Fewer steps than this is a broken demo: with one step there is no motion to learn from
// and the chunk would be 64 copies of one action; RDT's own filter drops even < 32.
constexpr int kMinEpisodeSteps = 2;

class LiberoFile {
public:
    static DataResult<LiberoFile> open(const std::string& path);
    LiberoFile(LiberoFile&&) noexcept;
    LiberoFile& operator=(LiberoFile&&) noexcept;
    ~LiberoFile();  // closes the file under the HDF5 lock

    const std::string& path() const { return m_path; }

    // "demo_N" names under data/, ordered by N (demo_2 before demo_10).
    DataResult<std::vector<std::string>> demoNames() const;
    // problem_info's language_instruction.
    DataResult<std::string> instruction() const;
    DataResult<LiberoDemoArrays> readDemo(const std::string& demo) const;
    DataResult<ImageShape> imageShape(const std::string& demo, LiberoCamera camera) const;
    // Reads frames [first, first+count) as stored (upside down, HWC) into out, which holds
    // count*H*W*3 bytes.
    DataResult<void> readFrames(const std::string& demo, LiberoCamera camera, int first,
                                int count, uint8_t* out) const;

private:
    struct FileCloser {
        void operator()(H5::H5File* file) const noexcept;
    };
    LiberoFile(std::string path, std::unique_ptr<H5::H5File, FileCloser> file);

    std::string m_path;
    std::unique_ptr<H5::H5File, FileCloser> m_file;
};

const char* cameraDatasetName(LiberoCamera camera);

}  // namespace rdt::data
